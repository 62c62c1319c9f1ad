/**
 * Run `action` with the latest argument only: while one call is in flight, newer arguments
 * replace each other and the last one runs when it settles (a drag never queues up seeks).
 * Failures go to `onError`; the next argument still runs.
 */
export function latestOnly<T>(action: (value: T) => Promise<unknown>, onError: (reason: unknown) => void): (value: T) => void {
  let inFlight = false;
  let next: { value: T } | null = null;
  const start = (value: T): void => {
    inFlight = true;
    action(value)
      .catch(onError)
      .finally(() => {
        inFlight = false;
        const queued = next;
        next = null;
        if (queued) start(queued.value);
      });
  };
  return (value) => {
    if (inFlight) next = { value };
    else start(value);
  };
}
