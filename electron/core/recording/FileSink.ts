/**
 * Appends records to a file. Writes are synchronous and whole-record, so the file on disk is
 * always the preamble plus whole records plus at most one partial record being written; fsync
 * runs every `fsyncMs` and on close, bounding what a power loss can take.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { encodeInfo, type RecordingInfo } from './codec';
import { encodePreamble, encodeRecord, RecordType } from './format';
import type { RecordSink } from './RecordingWriter';

export class FileSink implements RecordSink {
  private fd: number | undefined;
  private lastSyncAt = Date.now();
  bytes = 0;

  constructor(
    readonly path: string,
    info: RecordingInfo,
    private readonly fsyncMs = 2000,
  ) {
    this.fd = openSync(path, 'w', 0o600);
    this.writeBytes(Buffer.concat([encodePreamble(), encodeRecord(RecordType.info, encodeInfo(info))]));
  }

  append(record: Buffer): void {
    this.writeBytes(record);
    const now = Date.now();
    if (now - this.lastSyncAt >= this.fsyncMs && this.fd !== undefined) {
      fsyncSync(this.fd);
      this.lastSyncAt = now;
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = undefined;
  }

  private writeBytes(bytes: Buffer): void {
    if (this.fd === undefined) throw new Error(`recording ${this.path} is closed`);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
    this.bytes += bytes.length;
  }
}
