/**
 * stat reports RSS in pages; the page size is 4 KiB on x86-64 but 16 or 64 KiB on some arm64
 * kernels, and Node has no sysconf(_SC_PAGESIZE). The kernel states it in the first mapping of
 * /proc/self/smaps ("KernelPageSize: 4 kB"); it is read once and cached.
 */
import { readCapped } from './readProcFile';

let cached: Promise<number> | undefined;

export function parseKernelPageSizeKiB(smaps: string): number {
  const m = /^KernelPageSize:\s+(\d+) kB$/m.exec(smaps);
  if (!m) throw new Error('no "KernelPageSize:" line in /proc/self/smaps: cannot convert RSS pages to KiB');
  return Number(m[1]);
}

/** The page size in KiB, from the real /proc (it is a property of the machine, not of a root). */
export function pageSizeKiB(): Promise<number> {
  cached ??= readCapped('/proc/self/smaps', 8192).then(({ bytes }) => parseKernelPageSizeKiB(bytes.toString('utf8')));
  // A failed read must not be cached forever.
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}
