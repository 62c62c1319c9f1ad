/**
 * Groups and NSpid against the real kernel: cgroups and PID namespaces made by the test, read by
 * both scanners, by the engine at start-up, and for a process that moves itself into a cgroup
 * and execs after the engine started (netlink: no scan can have placed it).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { scanProcesses } from '../../native/index';
import { createEngine, type Engine } from './engine';
import { groupFromCgroup, scanGroupReader } from './procfs/groupFromCgroup';
import { scanProcessesFallback } from './procfs/scanProcessesFallback';
import { killStarted, startProcess, waitForStat } from './procfs/test/liveProcesses';
import { hierarchy, makeCgroup, moveInto, removeCgroups } from './test/cgroups';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tag = `forkscope-test-${process.pid}`;
const containerId = `${process.pid.toString(16).padStart(8, '0')}${'5eed'.repeat(14)}`;
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  killStarted();
  await removeCgroups();
});

async function startSleeper(): Promise<number> {
  const child = startProcess('/bin/sleep', ['1000']);
  await waitForStat(child.pid!, (comm) => comm === 'sleep');
  return child.pid!;
}

async function until<T>(read: () => T | undefined, what: string): Promise<T> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const value = read();
    if (value !== undefined) return value;
    await sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.runIf(hierarchy('systemd') && hierarchy('pids') && hierarchy('unified'))('groups from real cgroups', () => {
  it('both scanners read the group of processes moved into v1, systemd and v2 cgroups', async () => {
    const inService = await startSleeper();
    const inContainer = await startSleeper();
    const inScope = await startSleeper();
    await moveInto(await makeCgroup(hierarchy('systemd')!, `/${tag}.slice/${tag}.service`), inService);
    await moveInto(await makeCgroup(hierarchy('pids')!, `/docker/${containerId}`), inContainer);
    await moveInto(await makeCgroup(hierarchy('unified')!, `/${tag}.slice/app-${tag}.scope`), inScope);

    const expected = {
      [inService]: { kind: 'unit', id: `/${tag}.slice/${tag}.service`, name: `${tag}.service` },
      [inContainer]: { kind: 'container', id: containerId, name: containerId.slice(0, 12), runtime: 'docker' },
      [inScope]: { kind: 'scope', id: `/${tag}.slice/app-${tag}.scope`, name: `app-${tag}.scope` },
    };
    for (const scan of [await scanProcesses(scanGroupReader()), await scanProcessesFallback()]) {
      const groups = Object.fromEntries(scan.filter((p) => p.pid in expected).map((p) => [p.pid, p.group]));
      expect(groups).toEqual(expected);
      // Everything else keeps the group its own cgroup file names (none at the root).
      const self = scan.find((p) => p.pid === process.pid);
      expect(self?.group).toEqual(groupFromCgroup(await readFile('/proc/self/cgroup', 'utf8')));
    }
  });

  it('places a process that moves itself into a cgroup and execs after the engine started', async () => {
    engine = await createEngine({ source: 'netlink', sampleIntervalMs: 0 });
    const dir = await makeCgroup(hierarchy('unified')!, `/${tag}.slice/run-${tag}.scope`);
    // The shell enters the cgroup, then execs: the fork inherited our group, the exec says "read".
    const child = startProcess('/bin/sh', ['-c', `echo $$ > ${dir}/cgroup.procs && exec sleep 1000`]);
    const group = await until(() => {
      const live = engine!.table.live(child.pid!);
      return live?.comm === 'sleep' && live.group?.kind === 'scope' ? live.group : undefined;
    }, 'the exec to be placed');
    expect(group).toEqual({ kind: 'scope', id: `/${tag}.slice/run-${tag}.scope`, name: `run-${tag}.scope` });
    // A child it forks now has that group at once, by inheritance.
    expect(engine.snapshot().processes.find((p) => p.pid === child.pid)?.group).toEqual(group);
  });
});

describe.runIf(process.getuid?.() === 0)('NSpid from real PID namespaces', () => {
  it('knows the inner pid of a process in a PID namespace, found by the scan or seen exec', async () => {
    const before = startProcess('/usr/bin/unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', 'sleep', '1000']);
    const beforeInner = await until(() => innerChild(before.pid!), 'the namespaced sleep');
    await waitForStat(beforeInner, (comm) => comm === 'sleep');
    engine = await createEngine({ source: 'netlink', sampleIntervalMs: 0 });
    expect(engine.table.live(beforeInner)?.nsPid).toEqual([beforeInner, 1]);
    expect(engine.table.live(process.pid)?.nsPid).toBeUndefined();

    const after = startProcess('/usr/bin/unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', '/bin/sh', '-c', 'sleep 1000 & wait']);
    const nsPid = await until(() => {
      const sleeper = engine!.table.liveProcesses().find((p) => p.comm === 'sleep' && p.nsPid?.[1] === 2 && isBelow(p.ppid, after.pid!));
      return sleeper?.nsPid;
    }, 'the inner sleep to be placed');
    expect(nsPid).toHaveLength(2);

    // The detail pane's question: which process is pid 1 inside the namespace of the outer sleep?
    const holder = engine.table.live(beforeInner)!;
    expect((await engine.getDetail(holder.pid, holder.startTime, 1)).translated).toEqual({ pid: 1, hostPid: beforeInner });
    expect((await engine.getDetail(holder.pid, holder.startTime, 99)).translated).toEqual({ pid: 99, hostPid: null });
    expect((await engine.getDetail(holder.pid, holder.startTime)).translated).toBeUndefined();
  });
});

function innerChild(pid: number): number | undefined {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return children === '' ? undefined : Number(children.split(' ')[0]);
}

/** `pid`'s parent chain reaches `ancestor` (within a few levels). */
function isBelow(pid: number, ancestor: number): boolean {
  for (let depth = 0; depth < 4 && pid > 1; depth++) {
    if (pid === ancestor) return true;
    try {
      pid = Number(/\) \S+ (\d+)/.exec(readFileSync(`/proc/${pid}/stat`, 'latin1'))?.[1] ?? 0);
    } catch {
      return false;
    }
  }
  return pid === ancestor;
}
