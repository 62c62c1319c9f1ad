import { describe, expect, it } from 'vitest';
import { latestOnly } from './latestOnly';

/** An action whose calls settle when the test says so. */
function controlled() {
  const calls: number[] = [];
  const settle: Array<(error?: Error) => void> = [];
  const action = (value: number) =>
    new Promise<void>((resolve, reject) => {
      calls.push(value);
      settle.push((error) => (error ? reject(error) : resolve()));
    });
  return { calls, action, settle: (error?: Error) => settle.shift()?.(error) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('latestOnly', () => {
  it('runs the first value at once and only the newest of those that came while it ran', async () => {
    const { calls, action, settle } = controlled();
    const run = latestOnly(action, () => undefined);
    run(1);
    run(2);
    run(3);
    run(4);
    expect(calls).toEqual([1]);
    settle();
    await tick();
    expect(calls).toEqual([1, 4]);
    settle();
    await tick();
    run(5);
    expect(calls).toEqual([1, 4, 5]);
  });

  it('reports a failure and still runs the value waiting behind it', async () => {
    const { calls, action, settle } = controlled();
    const errors: unknown[] = [];
    const run = latestOnly(action, (reason) => errors.push(reason));
    run(1);
    run(2);
    settle(new Error('seek refused'));
    await tick();
    expect(errors).toEqual([new Error('seek refused')]);
    expect(calls).toEqual([1, 2]);
  });
});
