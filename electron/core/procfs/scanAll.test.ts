import { afterEach, describe, expect, it, vi } from 'vitest';

/** Fresh module state with the addon path pointed at nothing, as on a machine without the build. */
async function withoutAddon() {
  vi.resetModules();
  vi.stubEnv('FORKSCOPE_NATIVE_PATH', '/nonexistent/forkscope_native.node');
  const { loadAddon, AddonLoadError } = await import('../../../native/loadAddon.js');
  const { scanAll } = await import('./scanAll.js');
  return { loadAddon, AddonLoadError, scanAll };
}

describe('scanAll', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it('falls back to the TypeScript scanner when the addon is missing, and still finds this process', async () => {
    const { scanAll } = await withoutAddon();
    const scan = await scanAll();
    expect(scan.find((p: { pid: number }) => p.pid === process.pid)).toMatchObject({ pid: process.pid, ppid: process.ppid });
  });

  it('remembers a failed load instead of looking for the addon again', async () => {
    const { loadAddon, AddonLoadError } = await withoutAddon();
    const failure = (): unknown => {
      try {
        loadAddon();
      } catch (error) {
        return error;
      }
      return undefined;
    };
    const first = failure();
    expect(first).toBeInstanceOf(AddonLoadError);
    expect((first as Error).message).toMatch(/no such file/);
    expect(failure()).toBe(first); // the same error: no second search
  });
});
