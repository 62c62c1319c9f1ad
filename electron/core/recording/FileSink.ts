/**
 * Appends records to a file. Writes are synchronous and whole-record, so the file on disk is
 * always the preamble plus whole records plus at most one partial record being written (a write
 * of a few KB every chunk lands in the page cache). fsync, which can block for long on a busy
 * disk, runs every `fsyncMs` on libuv's thread pool — never on the JS thread of a live host —
 * and once more, synchronously, on close, bounding what a power loss can take.
 *
 * A file that is read back and deleted at once (the record button's temporary file) has nothing
 * to protect from a power loss: with `sync: false` it is never fsynced, so closing it does not
 * block a live host's JS thread on the disk.
 */
import { closeSync, fsync, fsyncSync, openSync, writeSync } from 'node:fs';
import { encodeFileHead, type RecordingInfo } from './codec';
import type { RecordSink } from './RecordingWriter';

export interface FileSinkOptions {
  /** fsync in the background every `fsyncMs` and on close (default true). */
  sync?: boolean;
  fsyncMs?: number;
}

export class FileSink implements RecordSink {
  private fd: number | undefined;
  private lastSyncAt = Date.now();
  /** An fsync is running on the thread pool: the fd must stay open until it returns. */
  private syncing = false;
  private closeAfterSync = false;
  private readonly sync: boolean;
  private readonly fsyncMs: number;
  bytes = 0;

  constructor(
    readonly path: string,
    info: RecordingInfo,
    options: FileSinkOptions = {},
  ) {
    this.sync = options.sync ?? true;
    this.fsyncMs = options.fsyncMs ?? 2000;
    this.fd = openSync(path, 'w', 0o600);
    this.writeBytes(encodeFileHead(info));
  }

  append(record: Buffer): void {
    this.writeBytes(record);
    if (!this.sync) return;
    const now = Date.now();
    if (now - this.lastSyncAt >= this.fsyncMs && this.fd !== undefined && !this.syncing) {
      this.lastSyncAt = now;
      this.syncing = true;
      const fd = this.fd;
      // A failed background fsync is retried by the next one and by the final one on close.
      fsync(fd, () => {
        this.syncing = false;
        if (this.closeAfterSync) closeSync(fd);
      });
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    if (this.sync) fsyncSync(this.fd);
    // Closing under a running fsync could hand its fd number to another file: let it finish.
    if (this.syncing) this.closeAfterSync = true;
    else closeSync(this.fd);
    this.fd = undefined;
  }

  private writeBytes(bytes: Buffer): void {
    if (this.fd === undefined) throw new Error(`recording ${this.path} is closed`);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    this.bytes += bytes.length;
  }
}
