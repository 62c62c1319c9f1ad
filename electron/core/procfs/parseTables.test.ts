import { describe, expect, it } from 'vitest';
import { parseCgroup } from './parseCgroup';
import { parseIo } from './parseIo';
import { parseLimits } from './parseLimits';
import { parseNamespaceLink } from './parseNamespaceLink';
import { parseSchedstat } from './parseSchedstat';
import { parseInteger, parseWchan } from './parseSingleValue';
import { parseSmapsRollup } from './parseSmapsRollup';
import { ProcParseError } from './ProcParseError';
import { fixtureText, manifest } from './test/fixtureTree';

describe('parseLimits', () => {
  it('cuts the fixed-width columns, keeping multi-word names and blank units', async () => {
    const rows = parseLimits(await fixtureText(manifest.weirdComm, 'limits'));
    expect(rows).toHaveLength(16);
    expect(rows[0]).toEqual({ name: 'Max cpu time', soft: 'unlimited', hard: 'unlimited', units: 'seconds' });
    expect(rows.find((row) => row.name === 'Max stack size')).toEqual({ name: 'Max stack size', soft: '8388608', hard: 'unlimited', units: 'bytes' });
    expect(rows.find((row) => row.name === 'Max open files')).toEqual({ name: 'Max open files', soft: '20000', hard: '20000', units: 'files' });
    expect(rows.find((row) => row.name === 'Max nice priority')).toEqual({ name: 'Max nice priority', soft: '0', hard: '0', units: '' });
  });

  it('rejects a table without its header', () => {
    expect(() => parseLimits('Max cpu time  unlimited  unlimited  seconds\n')).toThrow(ProcParseError);
  });
});

describe('parseIo', () => {
  it('reads every counter', async () => {
    expect(parseIo(await fixtureText(manifest.deletedExe, 'io'))).toEqual({
      rchar: 13952, wchar: 0, syscr: 20, syscw: 0, readBytes: 0, writeBytes: 0, cancelledWriteBytes: 0,
    });
  });

  it('says which counter is missing', () => {
    expect(() => parseIo('rchar: 1\n')).toThrow(/no wchar line/);
  });
});

describe('parseCgroup', () => {
  it('splits hierarchy, controllers and path, v1 and v2 alike', async () => {
    const entries = parseCgroup(await fixtureText(manifest.deletedExe, 'cgroup'));
    expect(entries[0]).toEqual({ hierarchy: '9', controllers: 'name=systemd', path: '/' });
    expect(entries.at(-1)).toEqual({ hierarchy: '0', controllers: '', path: '/' });
    expect(entries).toHaveLength(10);
  });

  it('keeps colons inside the path', () => {
    expect(parseCgroup('0::/a:b/c\n')).toEqual([{ hierarchy: '0', controllers: '', path: '/a:b/c' }]);
  });
});

describe('parseSmapsRollup', () => {
  it('reads the kB values by their kernel names and skips the [rollup] header', async () => {
    const rollup = parseSmapsRollup(await fixtureText(manifest.deletedExe, 'smaps_rollup'));
    expect(rollup.Rss).toBe(1800);
    expect(rollup.Pss).toBe(218);
    expect(rollup.Pss_Dirty).toBe(144);
    expect(rollup.Swap).toBe(0);
    expect(Object.keys(rollup)).toHaveLength(22);
  });

  it('rejects an empty file', () => {
    expect(() => parseSmapsRollup('')).toThrow(ProcParseError);
  });
});

describe('single-value files', () => {
  it('parses schedstat, oom_score, oom_score_adj and wchan', async () => {
    expect(parseSchedstat(await fixtureText(manifest.deletedExe, 'schedstat'))).toEqual({ runNs: 2112748, waitNs: 6858177, timeslices: 4 });
    expect(parseInteger('oom_score', await fixtureText(manifest.deletedExe, 'oom_score'))).toBe(666);
    expect(parseInteger('oom_score_adj', await fixtureText(manifest.deletedExe, 'oom_score_adj'))).toBe(0);
    expect(parseWchan(await fixtureText(manifest.deletedExe, 'wchan'))).toBe('hrtimer_nanosleep');
    expect(parseWchan(await fixtureText(manifest.weirdComm, 'wchan'))).toBe('do_wait');
  });

  it('shows a zombie\'s "0" wait channel as none', async () => {
    expect(parseWchan(await fixtureText(manifest.zombie, 'wchan'))).toBe('');
  });

  it('rejects malformed values', () => {
    expect(() => parseSchedstat('1 2')).toThrow(ProcParseError);
    expect(() => parseInteger('oom_score', 'x\n')).toThrow(/oom_score/);
  });
});

describe('parseNamespaceLink', () => {
  it('takes the type from the link name and the inode from the target', () => {
    expect(parseNamespaceLink('pid_for_children', 'pid:[4026532177]')).toEqual({ type: 'pid_for_children', target: 'pid:[4026532177]', inode: 4026532177 });
    expect(() => parseNamespaceLink('pid', '/dev/null')).toThrow(ProcParseError);
  });
});
