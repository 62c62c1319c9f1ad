import { describe, expect, it } from 'vitest';
import { ArgsError, parseBenchArgs } from '../args';

describe('parseBenchArgs', () => {
  it('defaults to the DESIGN.md storms and both benches', () => {
    expect(parseBenchArgs([])).toMatchObject({ only: ['watcher', 'snapshot'], children: 3000, forks: 20000, unprivileged: true, processes: 10000 });
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
