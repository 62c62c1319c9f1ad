/**
 * The reader thread's priority as an unprivileged user (architecture.md §4): SCHED_FIFO is refused, so
 * it asks RealtimeKit over the system bus (libdbus, loaded at run time), and says why when that
 * fails too. Every case runs as nobody in a child process (setpriv) against a real dbus-daemon
 * that the tests start, with fakeRealtimeKit.py standing in for rtkit-daemon on it.
 *
 * Most cases call probeThreadPriority(), the reader's own priority code on a fresh thread, so
 * they need no listening watcher: nobody may not listen to the proc connector on this kernel.
 * The storm case runs the real watcher, as nobody where nobody may listen, else as nobody with
 * CAP_NET_ADMIN alone (what the capture helper's socket stands for: no CAP_SYS_NICE).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { locateAddon } from '../index';
import { AS_NOBODY, exited } from './helpers';

const WITH_NET_ADMIN = ['--inh-caps=+net_admin', '--ambient-caps=+net_admin'];
const canSwitch = process.getuid?.() === 0 && spawnSync('setpriv', [...AS_NOBODY, 'true'], { timeout: 10_000 }).status === 0;
// Debian's python3-dbus and python3-gi belong to Debian's python, whatever python3 is on PATH.
const PYTHON = '/usr/bin/python3';
const STAND_IN = path.join(__dirname, 'fakeRealtimeKit.py');
const STORM_MARKER = 'forkscope-rtkit-storm';
const REFUSED = 'AccessDenied (Operation not permitted)';

/** Why the stand-in bus cannot run here, or undefined when it can. */
function busUnavailable(): string | undefined {
  if (!canSwitch) return 'switching to nobody needs root and setpriv';
  if (spawnSync('dbus-daemon', ['--version']).status !== 0) return 'no dbus-daemon (Debian package dbus-daemon)';
  const imports = spawnSync(PYTHON, ['-c', 'import dbus, dbus.mainloop.glib, gi.repository.GLib'], { encoding: 'utf8' });
  if (imports.status !== 0) return `no dbus-python for ${PYTHON} (Debian packages python3-dbus, python3-gi): ${imports.stderr.trim()}`;
  return undefined;
}

/** Lines of a child's stdout, as they come. */
function lines(child: ChildProcess, onLine: (line: string) => void): void {
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString('utf8');
    let newline;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      onLine(buffered.slice(0, newline));
      buffered = buffered.slice(newline + 1);
    }
  });
}

/** Resolves with the first line `child` prints that `match` accepts; rejects if it exits first. */
function firstLine(child: ChildProcess, match: (line: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    lines(child, (line) => {
      if (match(line)) resolve(line);
    });
    void exited(child).then((how) => reject(new Error(`${child.spawnfile} exited first: ${JSON.stringify(how)}`)));
  });
}

/** "Max realtime timeout" of a /proc/PID/limits text: [soft, hard] in µs, null for unlimited. */
function rtTimeLimits(limits: string): [number | null, number | null] {
  const line = limits.split('\n').find((l) => l.startsWith('Max realtime timeout'));
  if (!line) throw new Error('no RTTIME line in limits');
  const [soft, hard] = line.slice('Max realtime timeout'.length).trim().split(/\s+/);
  const parse = (value: string | undefined): number | null => (value === 'unlimited' ? null : Number(value));
  return [parse(soft), parse(hard)];
}

const PROBE_SCRIPT = `
const priority = require(process.argv[1]).probeThreadPriority();
console.log(JSON.stringify({ priority, limits: require('fs').readFileSync('/proc/self/limits', 'utf8') }));
`;

interface Probe {
  priority: string;
  rtTime: [number | null, number | null];
}

/** probeThreadPriority() in a child run as nobody, with DBUS_SYSTEM_BUS_ADDRESS = busAddress. */
async function probeAsNobody(busAddress: string, wrapper: string[] = []): Promise<Probe> {
  const child = spawn(
    wrapper[0] ?? 'setpriv',
    [...wrapper.slice(1), ...(wrapper.length > 0 ? ['setpriv'] : []), ...AS_NOBODY, process.execPath, '-e', PROBE_SCRIPT, locateAddon()],
    { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: busAddress } },
  );
  const out = JSON.parse(await firstLine(child, (line) => line.startsWith('{'))) as { priority: string; limits: string };
  expect(await exited(child)).toEqual({ code: 0, signal: null });
  return { priority: out.priority, rtTime: rtTimeLimits(out.limits) };
}

/**
 * Runs in the child: starts a watcher, prints {pid, priority} once listening, counts exec events
 * whose argv carries the marker, and when its stdin closes prints {marked} and exits.
 */
const WATCHER_SCRIPT = `
const [addonPath, marker] = process.argv.slice(1);
const addon = require(addonPath);
let marked = 0;
let watcher;
const onMessage = (message) => {
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
};
try {
  watcher = new addon.Watcher({}, onMessage);
} catch (error) {
  console.log(JSON.stringify({ error: error.code }));
  process.exit(3);
}
`;

/** A watcher in a child started by `setpriv privileges`: its first report, and how it ended. */
function watchAs(privileges: string[], env: NodeJS.ProcessEnv): { first: Promise<Record<string, unknown>>; finish(): Promise<{ marked?: number; code: number | null; signal: NodeJS.Signals | null }> } {
  const child = spawn('setpriv', [...privileges, process.execPath, '-e', WATCHER_SCRIPT, locateAddon(), STORM_MARKER], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env,
  });
  const reports: Record<string, unknown>[] = [];
  lines(child, (line) => reports.push(JSON.parse(line) as Record<string, unknown>));
  const ended = exited(child);
  const first = new Promise<Record<string, unknown>>((resolve, reject) => {
    const poll = setInterval(() => {
      if (reports.length > 0) resolve(reports[0]!);
      else if (child.exitCode !== null || child.signalCode !== null) reject(new Error(`watcher child ended: ${child.exitCode ?? child.signalCode}`));
      else return;
      clearInterval(poll);
    }, 20);
  });
  return {
    first,
    finish: async () => {
      child.stdin!.end();
      const how = await ended;
      return { ...how, marked: reports.find((report) => typeof report.marked === 'number')?.marked as number | undefined };
    },
  };
}

/** Whether a watcher may listen with these privileges: the kernel is asked, not guessed at. */
async function canListen(privileges: string[]): Promise<boolean> {
  const run = watchAs(privileges, process.env);
  const first = await run.first.catch((): Record<string, unknown> => ({ error: 'ended' }));
  await run.finish();
  return typeof first.priority === 'string';
}

/** Scheduling policies of a process's threads (stat field 41: 0 normal, 1 FIFO, 2 RR). */
function threadPolicies(pid: number): number[] {
  return fs.readdirSync(`/proc/${pid}/task`).map((tid) => {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[41 - 3]);
  });
}

/** Forks and execs `children` marked processes, 8 loops at a time, and waits for them. */
async function execStorm(children: number): Promise<void> {
  const perLoop = Math.ceil(children / 8);
  const loops = Array.from({ length: 8 }, () =>
    spawn('/bin/sh', ['-c', `i=0; while [ $i -lt ${perLoop} ]; do /bin/true ${STORM_MARKER}; i=$((i+1)); done`], { stdio: 'ignore' }),
  );
  await Promise.all(loops.map((loop) => exited(loop)));
}

/** A private dbus-daemon on a socket in a fresh directory, open to every user, as a system bus is. */
async function startBus(dir: string): Promise<{ daemon: ChildProcess; address: string }> {
  const config = path.join(dir, 'bus.conf');
  fs.writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <listen>unix:path=${path.join(dir, 'bus')}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`,
  );
  // stderr ignored: as root in a container it warns that it cannot raise its fd limit.
  const daemon = spawn('dbus-daemon', [`--config-file=${config}`, '--nofork', '--print-address'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await firstLine(daemon, (line) => line.startsWith('unix:'));
  return { daemon, address };
}

const unavailable = busUnavailable();

describe.skipIf(unavailable !== undefined)(`reader priority as nobody, through RealtimeKit${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  let dir: string;
  let bus: { daemon: ChildProcess; address: string };
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forkscope-bus-'));
    fs.chmodSync(dir, 0o755);  // nobody must reach the socket
    bus = await startBus(dir);
  });
  afterAll(async () => {
    bus?.daemon.kill();
    if (bus) await exited(bus.daemon);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('says RealtimeKit is not running when nothing owns its name', async () => {
    const { priority } = await probeAsNobody(bus.address);
    expect(priority).toMatch(/^normal \(SCHED_FIFO: EPERM; RealtimeKit: not running; nice: E[A-Z]+\)$/);
  });

  describe('with the stand-in service', () => {
    let standIn: ChildProcess;
    const modeFile = (): string => path.join(dir, 'mode');
    /** What the stand-in does with the next calls (see fakeRealtimeKit.py). */
    const setMode = (mode: 'grant' | 'no-realtime' | 'refuse' | 'silent'): void => fs.writeFileSync(modeFile(), mode);
    beforeAll(async () => {
      setMode('grant');
      standIn = spawn(PYTHON, [STAND_IN, bus.address, modeFile()], { stdio: ['ignore', 'pipe', 'inherit'] });
      await firstLine(standIn, (line) => line === 'ready');
    });
    afterAll(async () => {
      standIn?.kill();
      if (standIn) await exited(standIn);
    });

    it('gets SCHED_RR from RealtimeKit, under an RLIMIT_RTTIME within RTTimeUSecMax', async () => {
      setMode('grant');
      const { priority, rtTime } = await probeAsNobody(bus.address);
      // Read back from the kernel: the stand-in really set the thread's policy.
      expect(priority).toBe('SCHED_RR 10 (RealtimeKit)');
      const [soft, hard] = rtTime;
      expect(hard).not.toBeNull();
      expect(hard!).toBeLessThanOrEqual(200_000);
      expect(soft).toBe(hard);
    });

    it('falls back to a nice level from RealtimeKit when it grants no real-time priority', async () => {
      setMode('no-realtime');
      const { priority, rtTime } = await probeAsNobody(bus.address);
      expect(priority).toMatch(/^nice -10 \(RealtimeKit; SCHED_FIFO: EPERM; RealtimeKit: grants no real-time priority; nice: E[A-Z]+\)$/);
      expect(rtTime).toEqual([null, null]);  // left alone: it asked for no real-time
    });

    it('says RealtimeKit refused, for real time and for nice', async () => {
      setMode('refuse');
      const { priority } = await probeAsNobody(bus.address);
      expect(priority).toMatch(
        new RegExp(`^normal \\(SCHED_FIFO: EPERM; RealtimeKit: ${REFUSED.replace(/[()]/g, '\\$&')}; nice: E[A-Z]+; RealtimeKit nice: ${REFUSED.replace(/[()]/g, '\\$&')}\\)$`),
      );
    });

    it('gives up at its deadline when RealtimeKit never answers', async () => {
      setMode('silent');
      const { priority } = await probeAsNobody(bus.address);
      expect(priority).toMatch(/^normal \(SCHED_FIFO: EPERM; RealtimeKit: timed out; nice: E[A-Z]+; RealtimeKit nice: timed out\)$/);
    });

    it('runs the watcher real-time through RealtimeKit, and it survives a storm under that RLIMIT_RTTIME', async (context) => {
      setMode('grant');
      // Nobody, where nobody may listen; else nobody with CAP_NET_ADMIN and no CAP_SYS_NICE.
      const privileges = (await canListen(AS_NOBODY)) ? AS_NOBODY : [...AS_NOBODY, ...WITH_NET_ADMIN];
      if (privileges !== AS_NOBODY && !(await canListen(privileges))) context.skip('nobody cannot listen, even with CAP_NET_ADMIN');
      const run = watchAs(privileges, { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address });
      const { pid, priority } = (await run.first) as { pid: number; priority: string };
      expect(priority).toBe('SCHED_RR 10 (RealtimeKit)');
      const [soft, hard] = rtTimeLimits(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'));
      expect(hard).not.toBeNull();
      expect(hard!).toBeLessThanOrEqual(200_000);
      expect(soft).toBe(hard);
      expect(threadPolicies(pid).filter((policy) => policy === 1 || policy === 2)).toHaveLength(1);

      // 2000 execs over a few seconds: many times the 200 ms budget of real-time running.
      await execStorm(2000);
      await new Promise((resolve) => setTimeout(resolve, 500));  // let the reader drain
      const result = await run.finish();
      expect({ code: result.code, signal: result.signal }).toEqual({ code: 0, signal: null });
      expect(result.marked).toBeGreaterThanOrEqual(1900);
    }, 180_000);  // the storm alone took 32 s on this machine under other engineers' load
  });
});

describe.skipIf(!canSwitch)('reader priority as nobody, without RealtimeKit', () => {
  it('says there is no system bus, and leaves RLIMIT_RTTIME alone', async () => {
    const { priority, rtTime } = await probeAsNobody('unix:path=/nonexistent/forkscope-test-bus');
    expect(priority).toMatch(/^normal \(SCHED_FIFO: EPERM; RealtimeKit: no system bus; nice: E[A-Z]+\)$/);
    expect(rtTime).toEqual([null, null]);
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

    it('gives up at its deadline, during authentication, and says so', async () => {
      const { priority } = await probeAsNobody(`unix:path=${path.join(dir, 'bus')}`);
      expect(held.length).toBe(1);
      expect(priority).toMatch(/^normal \(SCHED_FIFO: EPERM; RealtimeKit: timed out; nice: E[A-Z]+\)$/);
    });
  });

  // libdbus made unloadable for one child: /dev/null bound over it in a mount namespace of its own.
  const libdbus = /libdbus-1\.so\.3 \([^)]*\) => (\S+)/.exec(spawnSync('ldconfig', ['-p'], { encoding: 'utf8' }).stdout ?? '')?.[1];
  const canHide = libdbus !== undefined && spawnSync('unshare', ['--mount', 'true']).status === 0;
  it.skipIf(!canHide)(`says "no libdbus" without it, and the addon loads${canHide ? '' : ' (skipped: no libdbus to hide, or no unshare --mount)'}`, async () => {
    const hide = ['unshare', '--mount', 'sh', '-c', 'mount --bind /dev/null "$0" && exec "$@"', libdbus!];
    const { priority } = await probeAsNobody('unix:path=/nonexistent/forkscope-test-bus', hide);
    expect(priority).toMatch(/^normal \(SCHED_FIFO: EPERM; RealtimeKit: no libdbus; nice: E[A-Z]+\)$/);
  });
});
