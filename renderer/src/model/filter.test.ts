import { describe, expect, it } from 'vitest';
import { applyFilter, groupFilterText, parseFilter, sameQuery } from './filter';
import { TreeModel } from './TreeModel';
import { ManualClock, proc, snapshot } from './testing';

/** init(1) → sshd(10) → bash(20) → make(30) → cc1(40); init → cron(50, root). */
function model(): TreeModel {
  const m = new TreeModel(new ManualClock());
  m.applySnapshot(
    snapshot(1, [
      proc(1, 0, 1, { comm: 'systemd', argv: ['/sbin/init'], user: 'root', uid: 0 }),
      proc(10, 1, 2, { comm: 'sshd', argv: ['sshd: alice [priv]'], user: 'root', uid: 0 }),
      proc(20, 10, 3, { comm: 'bash', argv: ['-bash'] }),
      proc(30, 20, 4, { comm: 'make', argv: ['make', '-j8', 'all'] }),
      proc(40, 30, 5, { comm: 'cc1', argv: ['/usr/lib/gcc/cc1', 'Foo.c'] }),
      proc(50, 1, 6, { comm: 'cron', argv: ['/usr/sbin/cron', '-f'], user: 'root', uid: 0 }),
      proc(4000, 1, 7, { comm: 'kworker/0:1', argv: null, user: 'root', uid: 0 }),
    ]),
  );
  return m;
}

function run(text: string, regex = false) {
  const m = model();
  const parsed = parseFilter(text, regex);
  if (parsed.kind !== 'match') throw new Error(`expected a matcher, got ${parsed.kind}`);
  const result = applyFilter(m, parsed.test);
  const pids = (set: Set<{ info: { pid: number } }>) => Array.from(set, (n) => n.info.pid).sort((a, b) => a - b);
  return { matches: pids(result.matches), visible: pids(result.visible) };
}

describe('filter', () => {
  it('is inactive for empty or blank text', () => {
    expect(parseFilter('', false).kind).toBe('none');
    expect(parseFilter('   ', true).kind).toBe('none');
  });

  it('matches argv case-insensitively and keeps every ancestor of a match visible', () => {
    expect(run('foo.C')).toEqual({ matches: [40], visible: [1, 10, 20, 30, 40] });
  });

  it('matches the comm of a process without argv, and the user name', () => {
    expect(run('kworker').matches).toEqual([4000]);
    expect(run('alice').matches).toEqual([10, 20, 30, 40]); // user alice, and sshd's argv
  });

  it('matches a pid exactly, not as a substring of other pids', () => {
    expect(run('40').matches).toEqual([40]);
    expect(run('4000').matches).toEqual([4000]);
  });

  it('accepts /regex/flags and the regex toggle', () => {
    expect(run('/^make -j\\d+/').matches).toEqual([30]);
    expect(run('/^CRON$/').matches).toEqual([]);
    expect(run('/^CRON$/i').matches).toEqual([50]);
    expect(run('^c(c1|ron)$', true).matches).toEqual([40, 50]);
  });

  it('stays stateless with the g flag (every process is tested from the start)', () => {
    expect(run('/r/g').matches).toEqual(run('/r/').matches);
  });

  it('reports an invalid regex as an error instead of throwing', () => {
    const parsed = parseFilter('/(unclosed/', false);
    expect(parsed.kind).toBe('invalid');
    expect(parsed.kind === 'invalid' && parsed.error).toMatch(/unterminated|invalid/i);
    expect(parseFilter('[', true).kind).toBe('invalid');
  });

  it('tells a new query from the same query applied to a newer model', () => {
    const m = model();
    const parsed = parseFilter('make', false);
    const other = parseFilter('make', false);
    if (parsed.kind !== 'match' || other.kind !== 'match') throw new Error('matchers expected');
    const first = applyFilter(m, parsed.test);
    const again = applyFilter(m, parsed.test); // the next model version, same query
    expect(again).not.toBe(first);
    expect(sameQuery(first, again)).toBe(true);
    expect(sameQuery(first, applyFilter(m, other.test))).toBe(false); // typed again: a new query
    expect(sameQuery(null, first)).toBe(false);
    expect(sameQuery(null, null)).toBe(true);
  });
});

describe('filter by group', () => {
  const nginx = { kind: 'unit' as const, id: '/system.slice/nginx.service', name: 'nginx.service' };
  const web = { kind: 'container' as const, id: 'ab'.repeat(32), name: 'web-frontend', runtime: 'docker' };
  function grouped(text: string) {
    const m = new TreeModel(new ManualClock());
    m.applySnapshot(
      snapshot(1, [
        proc(1, 0, 1, { comm: 'systemd' }),
        proc(10, 1, 2, { comm: 'nginx', group: nginx }),
        proc(11, 10, 3, { comm: 'nginx', group: nginx }),
        proc(20, 1, 4, { comm: 'vim', argv: ['vim', '/etc/nginx/nginx.conf'] }),
        proc(30, 1, 5, { comm: 'node', group: web }),
      ]),
    );
    const parsed = parseFilter(text, false);
    if (parsed.kind !== 'match') throw new Error(`expected a matcher, got ${parsed.kind}`);
    return Array.from(applyFilter(m, parsed.test).matches, (n) => n.info.pid).sort((a, b) => a - b);
  }

  it('group:TEXT matches the group only (name, id or runtime), not argv that mentions it', () => {
    expect(grouped('group:nginx')).toEqual([10, 11]);
    expect(grouped('GROUP:docker')).toEqual([30]);
    expect(grouped(groupFilterText(web))).toEqual([30]);
    expect(grouped('group:nothing-like-it')).toEqual([]);
  });

  it('plain text matches group names too', () => {
    expect(grouped('web-front')).toEqual([30]);
    expect(grouped('nginx')).toEqual([10, 11, 20]);
  });
});
