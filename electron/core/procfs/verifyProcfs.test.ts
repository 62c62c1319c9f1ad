import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyProcfs } from './verifyProcfs';

describe('verifyProcfs', () => {
  it('accepts the real /proc', async () => {
    await expect(verifyProcfs('/proc')).resolves.toBeUndefined();
  });

  it('refuses a directory that is not procfs, naming its filesystem type', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'forkscope-notproc-'));
    try {
      await expect(verifyProcfs(dir)).rejects.toThrow(/is not procfs \(filesystem type 0x[0-9a-f]+, expected PROC_SUPER_MAGIC 0x9fa0\)/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing mount point', async () => {
    await expect(verifyProcfs('/nonexistent-proc')).rejects.toThrow(/cannot inspect \/nonexistent-proc \(ENOENT\)/);
  });
});
