/**
 * /proc/PID/cmdline bytes → argv. Decoded as UTF-8 with U+FFFD replacement (argv is arbitrary
 * bytes); the NUL separators survive the decode because NUL is never part of a multi-byte
 * sequence.
 */
export function decodeArgv(strings: Buffer, offset: number, length: number): string[] {
  let end = offset + length;
  // Each argument ends in NUL; a truncated capture or a rewritten title may lack the last one.
  if (length > 0 && strings[end - 1] === 0) end -= 1;
  return strings.toString('utf8', offset, end).split('\0');
}
