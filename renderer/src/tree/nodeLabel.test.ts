import { describe, expect, it } from 'vitest';
import { processLabel, truncate } from './nodeLabel';
import type { ProcessInfo } from '../../../electron/common/process';

describe('labels', () => {
  it('shows control and bidi characters escaped, as the list does, instead of acting on them', () => {
    expect(processLabel({ key: '1@1', pid: 1, comm: 'a\nb\u001b[31m\u202ec' } as ProcessInfo, 40)).toBe('1 a\\nb\\x1b[31m\\u202ec');
  });

  it('truncates by code point with an ellipsis', () => {
    expect(truncate('make', 10)).toBe('make');
    expect(truncate('chromium-browser', 6)).toBe('chrom…');
    expect(truncate('🔥🔥🔥', 2)).toBe('🔥…');
    expect(truncate('x', 0)).toBe('');
  });

  it('labels a process with pid and comm, even a hostile comm', () => {
    const info = { key: '4242@9', pid: 4242, comm: 'evil)\n<b>' } as ProcessInfo;
    expect(processLabel(info, 40)).toBe('4242 evil)\\n<b>');
    expect(processLabel(info, 7)).toBe('4242 e…');
  });

  it("shows a namespaced process's own pid next to ours", () => {
    expect(processLabel({ key: '4242@9', pid: 4242, comm: 'nginx', nsPid: [4242, 7] } as ProcessInfo, 40)).toBe('4242 [7] nginx');
    expect(processLabel({ key: '4242@9', pid: 4242, comm: 'nginx', nsPid: [4242, 90, 1] } as ProcessInfo, 40)).toBe('4242 [1] nginx');
  });

  it('labels a group’s header (the tree by group) with its name and size, escaped like process data', () => {
    const header = { key: 'group:/evil.service', pid: 0, comm: 'x', threads: 3, group: { kind: 'unit', id: '/evil.service', name: 'ev\u202eil.service' } } as ProcessInfo;
    expect(processLabel(header, 80)).toBe('ev\\u202eil.service · 3 processes');
    expect(processLabel({ key: 'group:', pid: 0, comm: 'no group', threads: 1 } as ProcessInfo, 80)).toBe('no group · 1 process');
    expect(processLabel(header, 6)).toBe('ev\\u2…');
  });
});
