/** `-o FILE` is the spelling every user types; the shared parser knows only `--output`. */
export function withShortOutput(argv: readonly string[]): string[] {
  return argv.map((arg) => (arg === '-o' ? '--output' : arg.startsWith('-o=') ? `--output=${arg.slice(3)}` : arg));
}
