import { describe, expect, it } from 'vitest';
import { ResyncCoordinator } from './ResyncCoordinator';

describe('ResyncCoordinator', () => {
  it('runs one resync at a time and exactly one more for requests made meanwhile', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const coordinator = new ResyncCoordinator(
      () =>
        new Promise<void>((resolve) => {
          runs++;
          release = resolve;
        }),
      () => undefined,
    );
    coordinator.request();
    for (let i = 0; i < 10; i++) coordinator.request(); // a storm of loss reports
    expect(runs).toBe(1);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(runs).toBe(2);
    release();
    await coordinator.idle();
    expect(runs).toBe(2);
    expect(coordinator.count).toBe(2);
  });

  it('reports a failed resync and keeps working', async () => {
    const errors: unknown[] = [];
    let fail = true;
    const coordinator = new ResyncCoordinator(async () => {
      if (fail) throw new Error('scan failed');
    }, (error) => errors.push(error));
    coordinator.request();
    await coordinator.idle();
    fail = false;
    coordinator.request();
    await coordinator.idle();
    expect(errors).toHaveLength(1);
    expect(coordinator.count).toBe(1);
  });
});
