/**
 * The CLI's groups and PID namespaces against the real kernel (built CLI, real cgroups and
 * namespaces made here): snapshot --json, events --json and translate-pid.
 */
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killStarted, startProcess, waitForStat } from '../../core/procfs/test/liveProcesses';
import { hierarchy, makeCgroup, moveInto, removeCgroups } from '../../core/test/cgroups';

const BIN = path.resolve(__dirname, '../../../bin/forkscope.js');
const tag = `forkscope-cli-${process.pid}`;

afterEach(async () => {
  killStarted();
  await removeCgroups();
});

const run = (args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000, maxBuffer: 256 << 20 });

async function namespacedSleep(): Promise<{ outer: number; inner: number }> {
  const unshare = startProcess('/usr/bin/unshare', ['--pid', '--fork', '--kill-child', '--mount-proc', '/bin/sh', '-c', 'sleep 1000 & wait']);
  for (let attempt = 0; attempt < 500; attempt++) {
    const shell = Number(readFileSync(`/proc/${unshare.pid}/task/${unshare.pid}/children`, 'utf8').trim().split(' ')[0] || 0);
    const sleeper = shell ? Number(readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim().split(' ')[0] || 0) : 0;
    if (sleeper) {
      await waitForStat(sleeper, (comm) => comm === 'sleep');
      return { outer: shell, inner: sleeper };
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the namespaced sleep never started');
}

describe.runIf(hierarchy('unified'))('forkscope snapshot --json and events --json: groups', () => {
  it('snapshot gives a process in a test cgroup its group, and a namespaced one its NSpid', async () => {
    const sleeper = startProcess('/bin/sleep', ['1000']);
    await waitForStat(sleeper.pid!, (comm) => comm === 'sleep');
    await moveInto(await makeCgroup(hierarchy('unified')!, `/${tag}.slice/${tag}.service`), sleeper.pid!);
    const { inner } = await namespacedSleep();

    const result = run(['snapshot', '--json']);
    expect(result.status).toBe(0);
    const { processes } = JSON.parse(result.stdout) as { processes: Array<{ pid: number; group?: unknown; nsPid?: number[] }> };
    expect(processes.find((p) => p.pid === sleeper.pid)?.group).toEqual({ kind: 'unit', id: `/${tag}.slice/${tag}.service`, name: `${tag}.service` });
    expect(processes.find((p) => p.pid === inner)?.nsPid).toEqual([inner, 2]);
    expect(processes.find((p) => p.pid === process.pid)?.nsPid).toBeUndefined();
  });

  it('events --json puts the group on fork and exec lines of a process forked in a cgroup', async () => {
    const dir = await makeCgroup(hierarchy('unified')!, `/${tag}.slice/${tag}-events.service`);
    const log = spawn(process.execPath, [BIN, 'events', '--json', '--kinds', 'fork,exec', '--duration', '5'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: string[] = [];
    log.stdout.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
    await new Promise<void>((resolve) => log.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve()));
    // The shell enters the cgroup and execs (the log reads where it went), then forks a marked child.
    startProcess('/bin/sh', ['-c', `echo $$ > ${dir}/cgroup.procs && exec /bin/sh -c 'sleep 1; /bin/true ${tag}'`]);
    await new Promise((resolve) => log.on('exit', resolve));
    const lines = stdout.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { kind: string; pid: number; argv?: string[]; group?: unknown });
    const expected = { kind: 'unit', id: `/${tag}.slice/${tag}-events.service`, name: `${tag}-events.service` };
    const exec = lines.find((line) => line.kind === 'exec' && line.argv?.[1] === tag);
    const fork = lines.find((line) => line.kind === 'fork' && line.pid === exec?.pid);
    expect(fork?.group).toEqual(expected);
    expect(exec?.group).toEqual(expected);
  });
});

describe.runIf(hierarchy('unified'))('forkscope events --json: a group that changes after the line', () => {
  it('follows the exec line of a process moved right after its exec with a group line', async () => {
    const dir = await makeCgroup(hierarchy('unified')!, `/${tag}.slice/${tag}-moved.service`);
    const log = spawn(process.execPath, [BIN, 'events', '--json', '--kinds', 'fork,exec', '--duration', '3'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: string[] = [];
    log.stdout.on('data', (chunk: Buffer) => stdout.push(chunk.toString('utf8')));
    await new Promise<void>((resolve) => log.stderr.on('data', (chunk: Buffer) => chunk.toString().includes('listening') && resolve()));
    // As systemd-run or a container runtime does: the process has exec'd when it is moved.
    const child = startProcess('/bin/sleep', ['1000']);
    await waitForStat(child.pid!, (comm) => comm === 'sleep');
    await moveInto(dir, child.pid!);
    await new Promise((resolve) => log.on('exit', resolve));
    const lines = stdout.join('').split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { kind: string; pid: number; group?: unknown });
    const exec = lines.findIndex((line) => line.kind === 'exec' && line.pid === child.pid);
    expect(exec).toBeGreaterThanOrEqual(0);
    const expected = { kind: 'unit', id: `/${tag}.slice/${tag}-moved.service`, name: `${tag}-moved.service` };
    expect(lines[exec]!.group).not.toEqual(expected);
    expect(lines.slice(exec + 1).filter((line) => line.pid === child.pid)).toEqual([{ kind: 'group', ts: expect.any(Number) as number, pid: child.pid, group: expected }]);
  });
});

describe.runIf(process.getuid?.() === 0)('forkscope translate-pid', () => {
  it('finds the process that is pid N inside the namespace of P, and says when none is', async () => {
    const { outer, inner } = await namespacedSleep();
    const text = run(['translate-pid', '2', '--in', String(outer)]);
    expect(text.status).toBe(0);
    expect(text.stdout.split('\t')[0]).toBe(String(inner));
    expect(JSON.parse(run(['translate-pid', '2', '--in', String(outer), '--json']).stdout)).toMatchObject({ pid: 2, in: outer, hostPid: inner, nsPid: [inner, 2] });
    const missing = run(['translate-pid', '77', '--in', String(outer)]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/no process has pid 77 in the PID namespace of/);
    expect(run(['translate-pid', '2']).status).toBe(2);
  });
});
