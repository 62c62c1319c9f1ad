/**
 * Groups and NSpid against the real kernel: cgroups and PID namespaces made by the test, read by
 * both scanners, by the engine at start-up, for a process that moves itself into a cgroup and
 * execs after the engine started (netlink: no scan can have placed it), and for one moved right
 * after its exec (as systemd-run and container runtimes do): a changed delta, and a recording
 * that replays and exports the move.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clockInfo, scanProcesses } from '../../native/index';
import type { ProcEvent } from '../common/events';
import type { ProcessChange, ProcessGroup } from '../common/process';
import { createEngine, type Engine } from './engine';
import type { PlacementChange } from './model/ProcessTable';
import { exportNdjson } from './recording/exportNdjson';
import { startRecording } from './recording/Recorder';
import { openRecording } from './recording/Recording';
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

  it('a process moved right after its exec: a changed delta, and a recording that replays and exports the move', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'forkscope-groups-'));
    try {
      // Sampling on: were the move to land after the post-exec read, the periodic scan places it.
      engine = await createEngine({ source: 'netlink' });
      const path = join(dir, 'moved.fsrec');
      const recorder = startRecording(engine, { path }, { clock: clockInfo() });
      const changes: PlacementChange[] = [];
      engine.onPlacementChange((change) => changes.push(change));
      const deltas: ProcessChange[] = [];
      const subscription = engine.subscribe((message) => {
        if (message.type !== 'delta') return;
        deltas.push(...message.batch.changed);
        subscription.ack(message.batch.seq);
      });
      const cgroup = await makeCgroup(hierarchy('unified')!, `/${tag}.slice/moved-${tag}.service`);
      const expected: ProcessGroup = { kind: 'unit', id: `/${tag}.slice/moved-${tag}.service`, name: `moved-${tag}.service` };
      const child = startProcess('/bin/sleep', ['1000']);
      await waitForStat(child.pid!, (comm) => comm === 'sleep');
      await moveInto(cgroup, child.pid!);
      const key = await until(() => {
        const live = engine!.table.live(child.pid!);
        return live?.group?.id === expected.id ? live.key : undefined;
      }, 'the move to be read');
      expect(engine.table.live(child.pid!)?.group).toEqual(expected);
      // What the renderer is told: a changed delta naming the new group.
      await until(() => deltas.find((change) => change.key === key && change.group !== undefined), 'the changed delta');
      expect(deltas.filter((change) => change.key === key && change.group).at(-1)?.group).toEqual(expected);
      expect(changes.filter((change) => change.pid === child.pid).at(-1)).toMatchObject({ pid: child.pid, group: expected });
      subscription.close();
      recorder.close();

      const recording = openRecording(path);
      const end = recording.timeRange.end;
      expect(recording.stateAt(end).find((p) => p.key === key)?.group).toEqual(expected);
      // The export says it as `events --json` does: the exec line with the group it had (ours,
      // inherited at fork), then a group line with the one it was moved to.
      const lines = [...exportNdjson(recording)].map((line) => JSON.parse(line) as ProcEvent & { group?: ProcessGroup });
      const exec = lines.findIndex((line) => line.kind === 'exec' && line.pid === child.pid);
      expect(exec).toBeGreaterThanOrEqual(0);
      expect(lines[exec]!.group).toEqual(groupFromCgroup(await readFile('/proc/self/cgroup', 'utf8')));
      const moved = lines.slice(exec + 1).filter((line) => (line.kind as string) === 'group' && line.pid === child.pid);
      expect(moved).toEqual([{ kind: 'group', ts: expect.any(Number) as number, pid: child.pid, group: expected }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
