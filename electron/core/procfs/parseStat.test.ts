import { describe, expect, it } from 'vitest';
import { isKernelThread, parseStat } from './parseStat';
import { ProcParseError } from './ProcParseError';
import { fixtureText, manifest } from './test/fixtureTree';

describe('parseStat', () => {
  it('takes comm up to the LAST ")" so spaces, parentheses and newlines survive', async () => {
    const stat = parseStat(await fixtureText(manifest.weirdComm, 'stat'));
    expect(stat.pid).toBe(manifest.weirdComm);
    expect(stat.comm).toBe('a) (b c\nd)');
    expect(stat.fields).toMatchObject({ state: 'S', ppid: 18979, pgrp: 18975, session: 4705, ttyNr: 0, minflt: 192, numThreads: 1, startTime: 64174 });
    expect(stat.fields.vsizeBytes).toBe(2654208);
    expect(stat.fields.rssPages).toBe(348);
    expect(isKernelThread(stat)).toBe(false);
  });

  it('reads the scheduling fields past the addresses (processor, rt priority, policy)', async () => {
    const stat = parseStat(await fixtureText(manifest.otherUser, 'stat'));
    expect(stat.fields).toMatchObject({ priority: 20, nice: 0, processor: 1, rtPriority: 0, policy: 0 });
  });

  it('recognises a kernel thread by PF_KTHREAD and a zombie by its state', async () => {
    const kthreadd = parseStat(await fixtureText(manifest.kernelThread, 'stat'));
    expect(kthreadd.comm).toBe('kthreadd');
    expect(kthreadd.fields.ppid).toBe(0);
    expect(isKernelThread(kthreadd)).toBe(true);
    const zombie = parseStat(await fixtureText(manifest.zombie, 'stat'));
    expect(zombie.fields.state).toBe('Z');
    expect(zombie.fields.ppid).toBe(manifest.zombieParent);
    expect(zombie.fields.rssPages).toBe(0);
  });

  it('rejects text that is not a stat line', () => {
    expect(() => parseStat('')).toThrow(ProcParseError);
    expect(() => parseStat('12 (x) S 1 2')).toThrow(/field 9 is missing/);
    expect(() => parseStat('(x) S 1')).toThrow(/no pid/);
  });
});
