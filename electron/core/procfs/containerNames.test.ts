import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProcessGroup } from '../../common/process';
import { ContainerNames } from './containerNames';
import { groupFromCgroup } from './groupFromCgroup';
import { FIXTURES_DIR } from './test/fixtureTree';

const RUNTIMES = join(FIXTURES_DIR, 'runtimes');
/** Real docker state (fixtures/runtimes/README.md). */
const DOCKER = 'be8d46fb46a5c0b37bc2d6c1ffbc69464382809bde5cabb24cdccfc404316b7c';
/** Real podman state (fixtures/runtimes/README.md): one running container, one created only. */
const PODMAN = 'df2fa2b038d94842a3b1600fe8935574c3d2cd7e4485dced270f70b9f6b1849a';
const PODMAN_CREATED = '106b7bbd4cb2249e8433b457ac0db971c22d7b2039e16981e35dd2f2cf20ca35';

const names = (): ContainerNames =>
  new ContainerNames({ docker: join(RUNTIMES, 'docker'), containersStorage: ['/nonexistent/storage', join(RUNTIMES, 'containers-storage')] });
const container = (id: string, runtime?: string): ProcessGroup => ({ kind: 'container', id, name: id.slice(0, 12), ...(runtime ? { runtime } : {}) });

describe('ContainerNames', () => {
  it("reads docker's config.v2.json Name, without its leading slash", async () => {
    expect(await names().named(container(DOCKER, 'docker'))).toEqual({ ...container(DOCKER, 'docker'), name: 'fs-docker-web' });
  });

  it("reads podman's containers.json from the first store that has the id", async () => {
    expect((await names().named(container(PODMAN, 'podman'))).name).toBe('fs-fixture-web');
    expect((await names().named(container(PODMAN_CREATED, 'podman'))).name).toBe('fs-fixture-db');
    // A runtime the cgroup did not name: docker's state first, then containers/storage.
    expect((await names().named(container(PODMAN))).name).toBe('fs-fixture-web');
  });

  it('names the container a real docker or podman process is in, from its real /proc/PID/cgroup', async () => {
    const groupOf = (fixture: string) => groupFromCgroup(readFileSync(join(FIXTURES_DIR, 'cgroup', `${fixture}.txt`), 'utf8'))!;
    expect(await names().named(groupOf('v1-hybrid-docker-cgroupfs'))).toEqual({ kind: 'container', id: DOCKER, name: 'fs-docker-web', runtime: 'docker' });
    expect(await names().named(groupOf('v1-hybrid-podman-cgroupfs'))).toEqual({ kind: 'container', id: PODMAN, name: 'fs-fixture-web', runtime: 'podman' });
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
    expect(processes.map((process) => process.group?.name)).toEqual(['fs-docker-web', 'fs-docker-web', undefined]);
    expect(processes[0]!.group).toBe(processes[1]!.group);
  });
});
