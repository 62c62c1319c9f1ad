import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcessGroup } from '../../common/process';
import { ContainerNames } from './containerNames';
import { FIXTURES_DIR } from './test/fixtureTree';

const RUNTIMES = join(FIXTURES_DIR, 'runtimes');
const DOCKER = '3f4e8a2b9c1d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f';
const PODMAN = '8c1b5e0f2a3d4c6b7a8e9f0d1c2b3a4e5f6d7c8b9a0e1f2d3c4b5a6e7f8d9c0b';

const names = (): ContainerNames =>
  new ContainerNames({ docker: join(RUNTIMES, 'docker'), containersStorage: ['/nonexistent/storage', join(RUNTIMES, 'containers-storage')] });
const container = (id: string, runtime?: string): ProcessGroup => ({ kind: 'container', id, name: id.slice(0, 12), ...(runtime ? { runtime } : {}) });

describe('ContainerNames', () => {
  it("reads docker's config.v2.json Name, without its leading slash", async () => {
    expect(await names().named(container(DOCKER, 'docker'))).toEqual({ ...container(DOCKER, 'docker'), name: 'web-frontend' });
  });

  it("reads podman's containers.json from the first store that has the id", async () => {
    expect((await names().named(container(PODMAN, 'podman'))).name).toBe('db-primary');
    // A runtime the cgroup did not name: docker's state first, then containers/storage.
    expect((await names().named(container(PODMAN))).name).toBe('db-primary');
  });

  it('keeps the short id when no runtime knows the container, and leaves non-containers alone', async () => {
    const unknown = container('f'.repeat(64), 'docker');
    expect(await names().named(unknown)).toBe(unknown);
    const unit: ProcessGroup = { kind: 'unit', id: '/system.slice/x.service', name: 'x.service' };
    expect(await names().named(unit)).toBe(unit);
  });

  it('names every process of a scan, one lookup per distinct group', async () => {
    const group = container(DOCKER, 'docker');
    const processes: Array<{ group?: ProcessGroup }> = [{ group }, { group }, {}];
    await names().nameAll(processes);
    expect(processes.map((process) => process.group?.name)).toEqual(['web-frontend', 'web-frontend', undefined]);
    expect(processes[0]!.group).toBe(processes[1]!.group);
  });
});
