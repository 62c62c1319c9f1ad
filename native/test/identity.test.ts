/**
 * What the reader thread captures about a process that lives long enough to be read: hostile
 * comm, non-UTF-8 argv, threads (with comm changes), and the start time that is its identity.
 */
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanProcesses } from '../index';
import { collect, eventsOf, exited, readStat, spawnChild, waitFor, type Collector } from './helpers';

const THREADS_C = `
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
static void *run(void *arg) {
  (void)arg;
  prctl(PR_SET_NAME, "fs-worker");
  printf("%ld\\n", (long)syscall(SYS_gettid));
  fflush(stdout);
  usleep(50000);
  return 0;
}
int main(void) {
  pthread_t t[4];
  for (int i = 0; i < 4; i++) pthread_create(&t[i], 0, run, 0);
  for (int i = 0; i < 4; i++) pthread_join(t[i], 0);
  return 7;
}
`;

describe('netlink watcher: identity and hostile input', () => {
  let c: Collector;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forkscope-native-'));
    c = await collect();
  });
  afterAll(() => {
    c.watcher.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('decodes a comm with spaces, ")" and a newline exactly, in events and in a scan', async () => {
    const hostile = 'a b) c\nd';
    const link = path.join(dir, hostile);
    fs.symlinkSync('/bin/sleep', link);
    const child = spawnChild(link, ['0.5']);
    await waitFor(() => eventsOf(c.events, child.pid!, 'exec').length > 0);
    const [exec] = eventsOf(c.events, child.pid!, 'exec');
    expect(exec!.comm).toBe(hostile);
    expect(exec!.argv).toEqual([link, '0.5']);
    expect(exec!.exe).toBe(fs.realpathSync('/bin/sleep'));
    const scanned = (await scanProcesses(() => undefined)).find((p) => p.pid === child.pid);
    expect(scanned?.comm).toBe(hostile);
    await exited(child);
  });

  it('marks argv that is not UTF-8 as lossy and replaces the bad bytes', async () => {
    const child = spawnChild('sh', ['-c', `exec sh -c 'sleep 0.3' "$(printf '\\377\\376')" tail-arg`]);
    await waitFor(() => eventsOf(c.events, child.pid!, 'exec').length >= 2);
    const second = eventsOf(c.events, child.pid!, 'exec')[1]!;
    expect(second.argv).toEqual(['sh', '-c', 'sleep 0.3', '\uFFFD\uFFFD', 'tail-arg']);
    expect(second.argvLossy).toBe(true);
    expect(eventsOf(c.events, child.pid!, 'exec')[0]!.argvLossy).toBeUndefined();
    await exited(child);
  });

  it('marks argv longer than the capture limit as truncated', async () => {
    const small = await collect({ argvMaxBytes: 64 });
    try {
      // A valid duration (sleep sums its arguments), so the child lives its 0.3 s: with an
      // invalid one it exits at once and the test races its own exit instead of the limit.
      const long = '0'.repeat(200);
      const child = spawnChild('sleep', ['0.3', long]);
      await waitFor(() => eventsOf(small.events, child.pid!, 'exec').length > 0);
      const [exec] = eventsOf(small.events, child.pid!, 'exec');
      expect(exec!.argvTruncated).toBe(true);
      expect(exec!.argv).toEqual(['sleep', '0.3', '0'.repeat(64 - 'sleep\0'.length - '0.3\0'.length)]);
      await exited(child);
    } finally {
      small.watcher.close();
    }
  });

  it('reports threads as thread-start / thread-exit owned by their process, with comm changes', async () => {
    fs.writeFileSync(path.join(dir, 'threads.c'), THREADS_C);
    execFileSync('cc', ['-O1', '-pthread', '-o', path.join(dir, 'threads'), path.join(dir, 'threads.c')]);
    const child = spawn(path.join(dir, 'threads'), [], { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    expect((await exited(child)).code).toBe(7);
    const pid = child.pid!;
    const tids = out.trim().split('\n').map(Number).sort();
    expect(tids).toHaveLength(4);
    // A thread's exit event is sent after pthread_join() has woken (the futex wake comes first
    // in do_exit), so the process's own exit may precede it: wait for every expected event.
    await waitFor(() => eventsOf(c.events, pid, 'exit').length > 0 && eventsOf(c.events, pid, 'thread-exit').length >= 4);

    const starts = eventsOf(c.events, pid, 'thread-start');
    expect(starts.map((e) => e.tid).sort()).toEqual(tids);
    expect(eventsOf(c.events, pid, 'thread-exit').map((e) => e.tid).sort()).toEqual(tids);
    expect(eventsOf(c.events, pid, 'fork')).toHaveLength(1);
    // A thread's parent_* names the process's parent, never the creating process itself.
    for (const s of starts) expect(s.ppid).toBe(process.pid);
    const comms = eventsOf(c.events, pid, 'comm');
    expect(comms.map((e) => e.tid).sort()).toEqual(tids);
    for (const e of comms) expect(e.comm).toBe('fs-worker');
    expect(eventsOf(c.events, pid, 'exit')[0]).toMatchObject({ code: 7 });
  });

  it('names its reader thread, so that top -H, perf and bench/thread-cpu.sh can find it', () => {
    const names = fs.readdirSync(`/proc/${process.pid}/task`).map((tid) => fs.readFileSync(`/proc/${process.pid}/task/${tid}/comm`, 'utf8').trim());
    expect(names).toContain('forkscope-read');
  });

  it("gives fork events the start time /proc reports for the child", async () => {
    const child = spawnChild('sleep', ['2']);
    await waitFor(() => eventsOf(c.events, child.pid!, 'fork').length > 0);
    const [fork] = eventsOf(c.events, child.pid!, 'fork');
    expect(fork!.startTime).toBe(readStat(child.pid!).startTime);
    expect(fork!.ppid).toBe(process.pid);
    child.kill('SIGKILL');
    await exited(child);
  });
});
