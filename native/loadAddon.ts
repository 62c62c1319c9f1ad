/**
 * Locates and loads the compiled addon (native/build/Release/forkscope_native.node) and types
 * its raw, column-oriented surface. The public API in index.ts decodes what this returns.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A batch of events as the reader thread hands it over: one typed array per column. */
export interface RawEventBatch {
  type: 'batch';
  kind: Uint8Array;
  flags: Uint8Array;
  pid: Int32Array;
  tid: Int32Array;
  /** -1 when unknown. */
  ppid: Int32Array;
  /** -1 for synthesised events ('lost'). */
  cpu: Int32Array;
  /**
   * What the kernel reports for one kind only, as the table in native/src/event_batch.h assigns
   * it: exit wait status, real uid/gid, tracer tgid, events lost (-1 unknown); else 0.
   */
  kindValue1: Int32Array;
  /** Likewise: exit_signal, effective uid/gid, tracer tid, LostReason; else 0. */
  kindValue2: Int32Array;
  ts: Float64Array;
  /** -1 when unknown. */
  startTime: Float64Array;
  /** Offsets into `strings`, -1 when absent. */
  commOff: Int32Array;
  commLen: Int32Array;
  argvOff: Int32Array;
  argvLen: Int32Array;
  exeOff: Int32Array;
  exeLen: Int32Array;
  strings: Buffer;
  /** When the watcher renders NDJSON (WatcherOptions.ndjson). */
  ndjson?: Buffer;
  lineEnd?: Uint32Array;
}

export type RawWatcherMessage = RawEventBatch | { type: 'ready' } | { type: 'error'; code: string; message: string };

/** What `new Watcher()` takes; index.ts's WatcherOptions is this with `ndjson` for the names. */
export interface RawWatcherOptions {
  /** Socket receive buffer to ask for (default 8 MiB); see WatcherInfo.rcvbufBytes for what was granted. */
  rcvbufBytes?: number;
  /**
   * Ask for real-time priority for the reader thread (default true): SCHED_FIFO 10 itself, else
   * through RealtimeKit, else nice -10 the same two ways.
   */
  realtime?: boolean;
  /** argv capture limit per exec (default 32 KiB); longer argv is cut and marked argvTruncated. */
  argvMaxBytes?: number;
  /**
   * Longest a batch waits before delivery (default 4 ms; a batch of 4096 is sent at once). While
   * batches follow each other back to back (a storm) the wait doubles up to max(this, 8 ms), so
   * JS handles fewer, larger batches; it returns to this value after a quiet spell.
   */
  flushIntervalMs?: number;
  /** How long to wait for the kernel's ack of PROC_CN_MCAST_LISTEN (default 1000 ms). */
  ackTimeoutMs?: number;
  /**
   * Tests and the loss-indicator demo only: the reader sleeps this many µs after each recvmmsg,
   * so that a small socket buffer overflows deterministically.
   */
  debugStallUs?: number;
  /**
   * Tests only: events waiting for JS beyond which the reader drops them with a 'queue full'
   * marker (default 1048576), so that a blocked consumer exercises that path quickly.
   */
  debugMaxQueuedEvents?: number;
  /** Present: render NDJSON, naming signal n ndjsonSignalNames[n]. */
  ndjsonSignalNames?: string[];
  /**
   * Absolute path of the capture helper (native/helper): the reader thread gets its socket from
   * it (SO_RCVBUFFORCE, already subscribed) instead of opening one, and the helper may raise the
   * reader to SCHED_FIFO. Failures arrive as an 'error' message with the helper's reason.
   */
  helperPath?: string;
  /** Longest the helper handshake may take (default 3000 ms); the helper is killed after it. */
  helperTimeoutMs?: number;
}

export interface RawWatcher {
  close(): void;
  info(): { priority: string; rcvbufBytes: number };
  stats(): { events: number; lost: number; enobufs: number; seqGaps: number; batches: number };
}

export interface RawScan {
  pid: Int32Array;
  ppid: Int32Array;
  uid: Int32Array;
  threads: Int32Array;
  startTime: Float64Array;
  rssKb: Float64Array;
  cpuTicks: Float64Array;
  state: Uint8Array;
  kernelThread: Uint8Array;
  commOff: Int32Array;
  commLen: Int32Array;
  /** -1 when the process has no readable argv. */
  argvOff: Int32Array;
  argvLen: Int32Array;
  /** /proc/PID/cgroup text; -1 when unreadable. */
  cgroupOff: Int32Array;
  cgroupLen: Int32Array;
  /** status's NSpid value ("4242\t1"), only for a process in a nested PID namespace; else -1. */
  nspidOff: Int32Array;
  nspidLen: Int32Array;
  strings: Buffer;
}

export type RawSignalResult = { ok: true } | { ok: false; error: string; message: string };

export interface RawAddon {
  Watcher: new (options: RawWatcherOptions, onMessage: (message: RawWatcherMessage) => void) => RawWatcher;
  scanProcesses(): Promise<RawScan>;
  pidfdSignal(pid: number, startTime: number, signo: number): RawSignalResult;
  clockInfo(): { clkTck: number; bootEpochMs: number };
  /**
   * Raises a fresh thread's priority as the watcher's reader does (RealtimeKit included, asked on
   * $DBUS_SYSTEM_BUS_ADDRESS) and returns WatcherInfo.priority's description of what it got.
   * Blocks for at most 500 ms.
   */
  probeThreadPriority(): string;
}

export const ADDON_PATH_ENV = 'FORKSCOPE_NATIVE_PATH';
const RELATIVE_ADDON_PATH = path.join('native', 'build', 'Release', 'forkscope_native.node');

/**
 * Where the addon is: $FORKSCOPE_NATIVE_PATH if set, else the first `native/build/Release`
 * found walking up from this file — which works from the sources (native/), from the compiled
 * output (dist/native/) and from a packaged app, where native modules live outside the asar
 * archive in app.asar.unpacked.
 */
export function locateAddon(fromDir: string = __dirname, env: NodeJS.ProcessEnv = process.env): string {
  const override = env[ADDON_PATH_ENV];
  if (override) {
    if (!fs.existsSync(override)) throw new Error(`${ADDON_PATH_ENV}=${override}: no such file`);
    return path.resolve(override);
  }
  const tried: string[] = [];
  for (let dir = path.resolve(fromDir); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, RELATIVE_ADDON_PATH);
    const unpacked = candidate.replace(`${path.sep}app.asar${path.sep}`, `${path.sep}app.asar.unpacked${path.sep}`);
    for (const file of unpacked === candidate ? [candidate] : [unpacked, candidate]) {
      tried.push(file);
      if (fs.existsSync(file)) return file;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`forkscope_native.node not found (run \`npm run build:native\`); looked in:\n  ${tried.join('\n  ')}`);
}

/** The addon is not built, or cannot be loaded here: callers fall back to TypeScript paths. */
export class AddonLoadError extends Error {
  override readonly name = 'AddonLoadError';
}

let loaded: RawAddon | undefined;
let failed: AddonLoadError | undefined;

/**
 * Loads the addon once per process (N-API: the same binary serves Node and Electron). A failure
 * is remembered too: a poll source without the addon asks on every scan, and the answer will not
 * change (nor should the directory walk of locateAddon run each time).
 */
export function loadAddon(): RawAddon {
  if (failed) throw failed;
  if (!loaded) {
    try {
      const module = { exports: {} as RawAddon };
      process.dlopen(module, locateAddon());
      loaded = module.exports;
    } catch (error) {
      failed = new AddonLoadError((error as Error).message, { cause: error });
      throw failed;
    }
  }
  return loaded;
}
