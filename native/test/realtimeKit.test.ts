/**
 * The reader thread's priority as an unprivileged user (DESIGN.md §4): SCHED_FIFO is refused, so
 * it asks RealtimeKit over the system bus, and says why when that fails too. Every case runs the
 * watcher as nobody in a child process (setpriv), against the real kernel and a real bus.
 *
 * The RealtimeKit case runs only where the service answers on the system bus (a desktop, or
 * `dbus-daemon --system --fork; /usr/libexec/rtkit-daemon --no-canary` plus polkitd with a rule
 * granting org.freedesktop.RealtimeKit1.* to nobody, since nobody has no logind session).
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAddon } from '../index';
import { AS_NOBODY, probeDirectListen } from './helpers';

const canSwitch = process.getuid?.() === 0 && spawnSync('setpriv', [...AS_NOBODY, 'true'], { timeout: 10_000 }).status === 0;
// These cases run a watcher as nobody, so they need a kernel that lets nobody listen: probed,
// never inferred from the version (6.18 here answers EPERM at bind).
const nobodyListens = canSwitch ? probeDirectListen() : 'switching to nobody needs root and setpriv';
const STORM_MARKER = 'forkscope-rtkit-storm';

/**
 * Runs in the child, as nobody: starts a watcher, prints {pid, priority} once listening, counts
 * exec events whose argv carries the marker, and when its stdin closes prints {marked} and exits.
 */
const CHILD_SCRIPT = `
const [addonPath, marker] = process.argv.slice(1);
const addon = require(addonPath);
let marked = 0;
const watcher = new addon.Watcher({}, (message) => {
  if (message.type === 'error') { console.log(JSON.stringify({ error: message.code })); process.exit(3); }
  if (message.type === 'ready') {
    console.log(JSON.stringify({ pid: process.pid, priority: watcher.info().priority }));
    process.stdin.resume();
    process.stdin.on('end', () => { watcher.close(); console.log(JSON.stringify({ marked })); });
    return;
  }
  for (let i = 0; i < message.kind.length; i++) {
    const len = message.argvLen[i];
    if (len > 0 && message.strings.toString('latin1', message.argvOff[i], message.argvOff[i] + len).includes(marker)) marked++;
  }
});
`;

interface ChildRun {
  ready: Promise<{ pid: number; priority: string }>;
  /** Closes the child's stdin: it stops watching, reports and exits. */
  finish(): void;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; marked?: number; lines: unknown[] }>;
}

function watchAsNobody(env: NodeJS.ProcessEnv = process.env): ChildRun {
  const child = spawn('setpriv', [...AS_NOBODY, process.execPath, '-e', CHILD_SCRIPT, locateAddon(), STORM_MARKER], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env,
  });
  const lines: Record<string, unknown>[] = [];
  let resolveReady: (value: { pid: number; priority: string }) => void;
  const ready = new Promise<{ pid: number; priority: string }>((resolve) => (resolveReady = resolve));
  let buffered = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffered.slice(0, newline)) as Record<string, unknown>;
      buffered = buffered.slice(newline + 1);
      lines.push(line);
      if (typeof line.priority === 'string') resolveReady({ pid: line.pid as number, priority: line.priority });
    }
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; marked?: number; lines: unknown[] }>((resolve) =>
    child.on('exit', (code, signal) => {
      const last = lines.find((line) => typeof line.marked === 'number');
      resolve({ code, signal, marked: last?.marked as number | undefined, lines });
    }),
  );
  // A child that fails before listening must fail the test, not hang it.
  void done.then((result) => resolveReady({ pid: 0, priority: `child ended before listening: ${JSON.stringify(result)}` }));
  return { ready, done, finish: () => child.stdin.end() };
}

/** "Max realtime timeout" of a process: [soft, hard] in µs, null for unlimited. */
function rtTimeLimits(pid: number): [number | null, number | null] {
  const line = fs.readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max realtime timeout'));
  if (!line) throw new Error(`no RTTIME line in /proc/${pid}/limits`);
  const [soft, hard] = line.slice('Max realtime timeout'.length).trim().split(/\s+/);
  const parse = (value: string | undefined): number | null => (value === 'unlimited' ? null : Number(value));
  return [parse(soft), parse(hard)];
}

/** Scheduling policies of a process's threads (stat field 41: 0 normal, 1 FIFO, 2 RR). */
function threadPolicies(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
  });
}

/** RealtimeKit's RTTimeUSecMax as nobody sees it, or why it cannot be asked. */
function realtimeKitRtTimeMax(): number | string {
  const probe = spawnSync(
    'setpriv',
    [...AS_NOBODY, 'dbus-send', '--system', '--print-reply', '--reply-timeout=1000', '--dest=org.freedesktop.RealtimeKit1',
      '/org/freedesktop/RealtimeKit1', 'org.freedesktop.DBus.Properties.Get', 'string:org.freedesktop.RealtimeKit1', 'string:RTTimeUSecMax'],
    { encoding: 'utf8', timeout: 5_000 },
  );
  if (probe.error) return `dbus-send not runnable (${probe.error.message})`;
  const value = /int64 (\d+)/.exec(probe.stdout);
  return probe.status === 0 && value ? Number(value[1]) : `RealtimeKit does not answer on the system bus (${probe.stderr.trim() || probe.status})`;
}

/** Forks and execs `children` marked processes, 8 loops at a time, and waits for them. */
function execStorm(children: number): Promise<void> {
  const perLoop = Math.ceil(children / 8);
  const loops = Array.from({ length: 8 }, () =>
    spawn('/bin/sh', ['-c', `i=0; while [ $i -lt ${perLoop} ]; do /bin/true ${STORM_MARKER}; i=$((i+1)); done`], { stdio: 'ignore' }),
  );
  return Promise.all(loops.map((loop) => new Promise<void>((resolve) => loop.on('exit', () => resolve())))).then(() => undefined);
}

describe.skipIf(nobodyListens !== 'ok')(`reader priority as nobody, without RealtimeKit${nobodyListens === 'ok' ? '' : ` (skipped: nobody may not listen here: ${nobodyListens})`}`, () => {
  it('says there is no system bus, and leaves RLIMIT_RTTIME alone', async () => {
    const run = watchAsNobody({ ...process.env, DBUS_SYSTEM_BUS_ADDRESS: 'unix:path=/nonexistent/forkscope-test-bus' });
    const { pid, priority } = await run.ready;
    expect(priority).toMatch(/^normal \(SCHED_FIFO: EPERM; RealtimeKit: no system bus; nice: E[A-Z]+\)$/);
    expect(rtTimeLimits(pid)).toEqual([null, null]);
    run.finish();
    expect((await run.done).code).toBe(0);
  });

  describe('a bus that accepts and never answers', () => {
    let dir: string;
    let server: net.Server;
    const held: net.Socket[] = [];
    beforeAll(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forkscope-silent-bus-'));
      fs.chmodSync(dir, 0o755);
      server = net.createServer((socket) => held.push(socket));
      await new Promise<void>((resolve) => server.listen(path.join(dir, 'bus'), resolve));
      fs.chmodSync(path.join(dir, 'bus'), 0o777);
    });
    afterAll(async () => {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('gives up at its deadline, says so, and listens anyway', async () => {
      const run = watchAsNobody({ ...process.env, DBUS_SYSTEM_BUS_ADDRESS: `unix:path=${path.join(dir, 'bus')}` });
      const { priority } = await run.ready;
      expect(held.length).toBe(1);
      expect(priority).toMatch(/^normal \(SCHED_FIFO: EPERM; RealtimeKit: timed out; nice: E[A-Z]+\)$/);
      run.finish();
      expect((await run.done).code).toBe(0);
    });
  });
});

const rtTimeMax = nobodyListens === 'ok' ? realtimeKitRtTimeMax() : `nobody may not listen here: ${nobodyListens}`;

describe.skipIf(typeof rtTimeMax === 'string')(`reader priority as nobody, through RealtimeKit${typeof rtTimeMax === 'string' ? ` (skipped: ${rtTimeMax})` : ''}`, () => {
  it('gets real-time priority under RealtimeKit RLIMIT_RTTIME, and survives a storm under that limit', async (context) => {
    const run = watchAsNobody();
    const { pid, priority } = await run.ready;
    // A RealtimeKit that answers but refuses this user (polkit: no session, no rule) is not ours to fix.
    if (priority.includes('RealtimeKit: AccessDenied')) {
      run.finish();
      context.skip(`RealtimeKit refuses nobody here: ${priority}`);
    }
    expect(priority).toMatch(/^SCHED_(RR|FIFO) \d+ \(RealtimeKit\)$/);
    const [soft, hard] = rtTimeLimits(pid);
    expect(hard).not.toBeNull();
    expect(hard!).toBeLessThanOrEqual(rtTimeMax as number);
    expect(soft).toBe(hard);
    expect(threadPolicies(pid).filter((policy) => policy === 1 || policy === 2)).toHaveLength(1);

    // 2000 execs over a few seconds: many times the budget of real-time running.
    await execStorm(2000);
    await new Promise((resolve) => setTimeout(resolve, 500));  // let the reader drain
    run.finish();
    const result = await run.done;
    expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
    expect(result.marked).toBeGreaterThanOrEqual(1900);
  });
});
