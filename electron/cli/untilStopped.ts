/**
 * How a long-running command (events, record, web) is told to stop: SIGINT (Ctrl-C), SIGTERM or
 * SIGHUP, the end of its --duration, or `also` (stdout closed, say). Only its own handlers are
 * removed when it resolves (never other listeners of the process, such as a test runner's), so a
 * second Ctrl-C during shutdown gets Node's default: exit at once.
 */
const STOP_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

export function untilStopped(options: { durationMs?: number; also?: Promise<void> } = {}): Promise<void> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const stop = (): void => {
      for (const signal of STOP_SIGNALS) process.off(signal, stop);
      clearTimeout(timer);
      resolve();
    };
    for (const signal of STOP_SIGNALS) process.on(signal, stop);
    if (options.durationMs !== undefined) timer = setTimeout(stop, options.durationMs);
    void options.also?.then(stop);
  });
}
