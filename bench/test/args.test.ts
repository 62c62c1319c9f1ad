import { describe, expect, it } from 'vitest';
import { ArgsError, parseBenchArgs } from '../args';

describe('parseBenchArgs', () => {
  it('defaults to the architecture.md storms and every bench', () => {
    expect(parseBenchArgs([])).toMatchObject({
      only: ['watcher', 'latency', 'snapshot', 'memory', 'recording', 'renderer', 'lifetime'],
      children: 3000,
      forks: 20000,
      storms: ['exec', 'fork', 'threads', 'mixed'],
      unprivileged: true,
      processes: 10000,
      events: 1_000_000,
      rendererNodes: [5000, 20000, 50000],
    });
  });

  it('skips the renderer benches (tree + list, lifetime) with --no-renderer, whatever --only says first', () => {
    expect(parseBenchArgs(['--no-renderer']).only).toEqual(['watcher', 'latency', 'snapshot', 'memory', 'recording']);
    expect(parseBenchArgs(['--only', 'renderer,memory', '--no-renderer']).only).toEqual(['memory']);
    expect(parseBenchArgs(['--renderer-nodes', '2000,8000']).rendererNodes).toEqual([2000, 8000]);
    expect(() => parseBenchArgs(['--renderer-nodes', '2000,x'])).toThrow(/positive integer/);
  });

  it('reads --only, --children and friends', () => {
    const args = parseBenchArgs(['--only', 'watcher', '--children', '500', '--storms', 'exec,threads', '--no-unprivileged']);
    expect(args).toMatchObject({ only: ['watcher'], children: 500, storms: ['exec', 'threads'], unprivileged: false });
  });

  it('rejects unknown flags, benches and bad numbers', () => {
    expect(() => parseBenchArgs(['--fast'])).toThrow(ArgsError);
    expect(() => parseBenchArgs(['--only', 'gpu'])).toThrow(/unknown "gpu"/);
    expect(() => parseBenchArgs(['--children', '0'])).toThrow(/positive integer/);
    expect(() => parseBenchArgs(['--children'])).toThrow(/got nothing/);
  });
});
