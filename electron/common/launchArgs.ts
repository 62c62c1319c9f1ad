/**
 * How the `forkscope` command tells the Electron main process to open a recording at start
 * (`forkscope FILE`): one switch with an absolute path, `--forkscope-open=/abs/storm.fsrec`.
 */
export const OPEN_RECORDING_SWITCH = '--forkscope-open=';

/** The recording path passed to this process, if any (the last one wins). */
export function recordingToOpen(argv: readonly string[]): string | undefined {
  let path: string | undefined;
  for (const arg of argv) if (arg.startsWith(OPEN_RECORDING_SWITCH)) path = arg.slice(OPEN_RECORDING_SWITCH.length);
  return path === '' ? undefined : path;
}
