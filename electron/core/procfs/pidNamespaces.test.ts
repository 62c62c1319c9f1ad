import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { pidInNamespaces, pidNamespaceOf, translatePid } from './pidNamespaces';
import { killStarted, startProcess, waitForStat } from './test/liveProcesses';
import { FIXTURE_PROC, manifest } from './test/fixtureTree';

afterEach(() => killStarted());

/** The first child of `pid`, once it runs `comm`. */
async function childOf(pid: number, comm: string): Promise<number> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const children = (await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8')).trim();
    if (children !== '') {
      const child = Number(children.split(' ')[0]);
      await waitForStat(child, (name) => name === comm);
      return child;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`no child of ${pid}`);
}

describe('PID namespaces', () => {
  it('reads NSpid and the namespace inode from a captured nested process', async () => {
    expect(await pidInNamespaces(manifest.nestedPidNs, FIXTURE_PROC)).toEqual([manifest.nestedPidNs, 1]);
  });

  it('translates pids from sibling and nested namespaces to ours', async () => {
    // Two sibling namespaces whose init is pid 1, and a namespace nested in the first.
    const a = startProcess('/usr/bin/unshare', ['--pid', '--fork', '--kill-child', '/bin/sh', '-c', 'unshare --pid --fork sleep 1000 & wait']);
    const b = startProcess('/usr/bin/unshare', ['--pid', '--fork', '--kill-child', 'sleep', '1000']);
    const initA = await childOf(a.pid!, 'sh');
    const initB = await childOf(b.pid!, 'sleep');
    const innerUnshare = await childOf(initA, 'unshare');
    const innerSleep = await childOf(innerUnshare, 'sleep');

    const nsA = await pidNamespaceOf(initA);
    const nsB = await pidNamespaceOf(initB);
    const nsInner = await pidNamespaceOf(innerSleep);
    expect(new Set([nsA, nsB, nsInner, await pidNamespaceOf(process.pid)]).size).toBe(4);

    expect(await pidInNamespaces(innerSleep)).toEqual([innerSleep, 3, 1]);
    expect(await translatePid(1, nsA)).toBe(initA);
    expect(await translatePid(1, nsB)).toBe(initB);
    expect(await translatePid(1, nsInner)).toBe(innerSleep);
    // The nested sleep is pid 3 in A (sh 1, unshare 2, sleep 3); B has no pid 3.
    expect(await translatePid(3, nsA)).toBe(innerSleep);
    expect(await translatePid(3, nsB)).toBeNull();
    expect(await translatePid(process.pid, await pidNamespaceOf(process.pid))).toBe(process.pid);
  });

  it('returns null for a namespace with no visible process', async () => {
    expect(await translatePid(1, 1)).toBeNull();
  });
});
