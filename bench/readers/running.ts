/**
 * One reader process during a bench pass: started with its output going to files (so that the
 * bench's own pipes never slow it down), recognised as listening once it holds a bound proc
 * connector socket, and stopped with SIGINT (SIGKILL after a grace period).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { procConnectorSockets } from '../procstat';
import type { ReaderSpec } from './specs';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class RunningReader {
  readonly outputPath: string;
  readonly stderrPath: string;
  private readonly child: ChildProcess;
  private exitInfo: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exited: Promise<void>;
  private spawnError: string | null = null;

  constructor(
    readonly spec: ReaderSpec,
    command: string,
    args: string[],
    dir: string,
  ) {
    this.outputPath = join(dir, `${spec.id}.out`);
    this.stderrPath = join(dir, `${spec.id}.err`);
    const stdout = openSync(this.outputPath, 'w');
    const stderr = openSync(this.stderrPath, 'w');
    try {
      this.child = spawn(command, args, { stdio: ['ignore', stdout, stderr] });
    } finally {
      closeSync(stdout);
      closeSync(stderr);
    }
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal };
        resolve();
      });
      this.child.once('error', (error) => {
        this.exitInfo = { code: null, signal: null };
        this.spawnError = error.message;
        resolve();
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.spec.id}: not started: ${this.spawnError ?? 'unknown'}`);
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitInfo !== null;
  }

  stderrText(): string {
    try {
      return readFileSync(this.stderrPath, 'utf8');
    } catch {
      return '';
    }
  }

  outputBytes(): number {
    return statSync(this.outputPath).size;
  }

  /** Resolves once the reader has a proc connector socket; rejects if it exits or times out. */
  async waitUntilListening(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.hasExited) {
        throw new Error(`exited before listening (${this.describeExit()}): ${oneLineReason(this.stderrText())}`);
      }
      if (this.child.pid !== undefined && procConnectorSockets(this.child.pid).length > 0) return;
      await sleep(50);
    }
    throw new Error(`no proc connector socket after ${timeoutMs} ms: ${oneLineReason(this.stderrText())}`);
  }

  /** Kernel-side state of the reader's socket(s): bytes queued and events dropped. */
  socketState(): { queuedBytes: number; kernelDrops: number } | null {
    if (this.hasExited) return null;
    const sockets = procConnectorSockets(this.pid);
    if (sockets.length === 0) return null;
    return {
      queuedBytes: sockets.reduce((sum, s) => sum + s.rmemBytes, 0),
      kernelDrops: sockets.reduce((sum, s) => sum + s.drops, 0),
    };
  }

  async stop(graceMs = 5000): Promise<string> {
    if (!this.hasExited) {
      this.child.kill('SIGINT');
      const stopped = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
      if (!stopped) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    return this.describeExit();
  }

  describeExit(): string {
    if (this.spawnError) return `spawn failed: ${this.spawnError}`;
    if (!this.exitInfo) return 'running';
    return this.exitInfo.signal ? `killed by ${this.exitInfo.signal}` : `exit code ${this.exitInfo.code}`;
  }
}

export function lastLines(text: string, count = 3): string {
  return text.trim().split('\n').slice(-count).join(' | ').slice(0, 400);
}

/**
 * A failure as one table cell: the first line that names an error (a Node stack trace ends in
 * noise), else the first line, at most 160 characters.
 */
export function oneLineReason(text: string): string {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  const line = lines.find((l) => /\b\w*Error\b|error:|: cannot|not found|denied/i.test(l)) ?? lines[0] ?? 'no message';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}
