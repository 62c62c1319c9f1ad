/**
 * Reading /proc files asynchronously. /proc files report size 0, so they are read until EOF —
 * with a byte cap for the ones that can be megabytes (cmdline, environ).
 */
import { open } from 'node:fs/promises';

export interface CappedRead {
  bytes: Buffer;
  /** The file held more than the cap. */
  truncated: boolean;
}

/** Most argv and environments fit here; a scan reads hundreds, so no cap-sized buffer each. */
const FIRST_CHUNK_BYTES = 4096;

/** Reads at most maxBytes (plus one byte to learn whether there was more). */
export async function readCapped(path: string, maxBytes: number): Promise<CappedRead> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    let chunkSize = Math.min(FIRST_CHUNK_BYTES, maxBytes + 1);
    while (total <= maxBytes) {
      const chunk = Buffer.allocUnsafe(Math.min(chunkSize, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      chunkSize *= 2;
    }
    const bytes = Buffer.concat(chunks, total);
    return total > maxBytes ? { bytes: bytes.subarray(0, maxBytes), truncated: true } : { bytes, truncated: false };
  } finally {
    await handle.close();
  }
}
