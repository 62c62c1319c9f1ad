/**
 * Writes event lines to stdout in one chunk per batch (never one write per event), and turns a
 * closed stdout (`forkscope events | head`) into a quiet stop instead of an EPIPE crash.
 */
import type { Writable } from 'node:stream';

export class StdoutWriter {
  private closed = false;
  private readonly onClosed: () => void;

  constructor(
    private readonly out: Writable,
    onClosed: () => void,
  ) {
    this.onClosed = onClosed;
    out.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') this.close();
      else throw error;
    });
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Write complete lines (each without its newline). */
  writeLines(lines: readonly string[]): void {
    if (this.closed || lines.length === 0) return;
    this.out.write(lines.join('\n') + '\n');
  }

  /** Write bytes that are already whole lines (NDJSON rendered elsewhere). */
  writeBytes(bytes: Uint8Array): void {
    if (this.closed || bytes.length === 0) return;
    this.out.write(bytes);
  }

  /** Resolves once everything written so far has been handed to the OS (or stdout closed). */
  flush(): Promise<void> {
    if (this.closed || this.out.writableLength === 0) return Promise.resolve();
    return new Promise((resolve) => this.out.write('', () => resolve()));
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.onClosed();
  }
}
