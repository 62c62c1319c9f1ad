import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { groupFromCgroup } from './groupFromCgroup';
import { FIXTURES_DIR } from './test/fixtureTree';

const DOCKER = '3f4e8a2b9c1d0e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f';
const PODMAN = '8c1b5e0f2a3d4c6b7a8e9f0d1c2b3a4e5f6d7c8b9a0e1f2d3c4b5a6e7f8d9c0b';
const CRI = 'a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90';

const cgroup = (name: string): string => readFileSync(join(FIXTURES_DIR, 'cgroup', `${name}.txt`), 'utf8');
const groupOf = (name: string) => groupFromCgroup(cgroup(name));

describe('groupFromCgroup: systemd', () => {
  it('names a system service by its unit', () => {
    expect(groupOf('v2-system-service')).toEqual({ kind: 'unit', id: '/system.slice/nginx.service', name: 'nginx.service' });
  });

  it('names a desktop app by its scope under the user manager', () => {
    expect(groupOf('v2-user-app-scope')).toEqual({
      kind: 'scope',
      id: '/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-org.gnome.Terminal-4121.scope',
      name: 'app-gnome-org.gnome.Terminal-4121.scope',
    });
  });

  it("gives a unit's init.scope (systemd --user) to the unit", () => {
    expect(groupOf('v2-user-manager')).toEqual({
      kind: 'unit',
      id: '/user.slice/user-1000.slice/user@1000.service',
      name: 'user@1000.service',
    });
  });

  it('names a login session scope, and PID 1 its init.scope', () => {
    expect(groupOf('v2-session-scope')).toMatchObject({ kind: 'scope', name: 'session-3.scope' });
    expect(groupOf('v2-init')).toEqual({ kind: 'scope', id: '/init.scope', name: 'init.scope' });
  });

  it("gives a delegated service's own cgroups to the service", () => {
    expect(groupOf('v2-delegated-subgroup')).toEqual({ kind: 'unit', id: '/system.slice/containerd.service', name: 'containerd.service' });
  });

  it("names a user's slice as the user", () => {
    expect(groupFromCgroup('0::/user.slice/user-1000.slice\n')).toEqual({ kind: 'user', id: '/user.slice/user-1000.slice', name: 'user-1000.slice' });
    expect(groupFromCgroup('0::/machine.slice\n')).toEqual({ kind: 'slice', id: '/machine.slice', name: 'machine.slice' });
  });

  it('reads a hybrid system (v1 controllers plus 0::/) from name=systemd', () => {
    expect(groupOf('v1-hybrid-system-service')).toEqual({ kind: 'unit', id: '/system.slice/cron.service', name: 'cron.service' });
    // Hybrid with the unified line at the root: the systemd hierarchy still says where it is.
    expect(groupFromCgroup('1:name=systemd:/system.slice/ssh.service\n0::/\n')).toMatchObject({ kind: 'unit', name: 'ssh.service' });
  });
});

describe('groupFromCgroup: containers and pods', () => {
  it('docker, systemd driver (hybrid) and cgroupfs driver', () => {
    const expected = { kind: 'container', id: DOCKER, name: DOCKER.slice(0, 12), runtime: 'docker' };
    expect(groupOf('v1-hybrid-docker-systemd')).toEqual(expected);
    expect(groupOf('v1-docker-cgroupfs')).toEqual(expected);
  });

  it('podman as root and rootless, not its conmon', () => {
    const expected = { kind: 'container', id: PODMAN, name: PODMAN.slice(0, 12), runtime: 'podman' };
    expect(groupOf('v2-podman-root')).toEqual(expected);
    expect(groupOf('v2-podman-rootless')).toEqual(expected);
    expect(groupOf('v2-podman-conmon')).toMatchObject({ kind: 'scope', name: `libpod-conmon-${PODMAN}.scope` });
  });

  it('docker with the cgroupfs driver on a hybrid host (captured from docker 20.10.24)', () => {
    const id = 'be8d46fb46a5c0b37bc2d6c1ffbc69464382809bde5cabb24cdccfc404316b7c';
    expect(groupOf('v1-hybrid-docker-cgroupfs')).toEqual({ kind: 'container', id, name: id.slice(0, 12), runtime: 'docker' });
  });

  it('podman with the cgroupfs manager on a hybrid host (captured from podman 4.3.1), its conmon apart', () => {
    const id = 'df2fa2b038d94842a3b1600fe8935574c3d2cd7e4485dced270f70b9f6b1849a';
    expect(groupOf('v1-hybrid-podman-cgroupfs')).toEqual({ kind: 'container', id, name: id.slice(0, 12), runtime: 'podman' });
    expect(groupOf('v1-hybrid-podman-conmon')).toEqual({ kind: 'other', id: '/libpod_parent/conmon', name: 'libpod_parent/conmon' });
  });

  it('containerd under CRI', () => {
    expect(groupOf('v2-containerd-cri')).toEqual({ kind: 'container', id: CRI, name: CRI.slice(0, 12), runtime: 'containerd' });
  });

  it('a Kubernetes pod, systemd driver and cgroupfs driver', () => {
    expect(groupOf('v2-kubepods-systemd')).toEqual({
      kind: 'pod',
      id: '7d3c9a1e-5b2f-4c8d-9e0a-1f2b3c4d5e6f',
      name: 'pod 7d3c9a1e-5b2f-4c8d-9e0a-1f2b3c4d5e6f',
      runtime: 'containerd',
    });
    expect(groupOf('v1-kubepods-cgroupfs')).toEqual({
      kind: 'pod',
      id: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
      name: 'pod 0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b',
    });
  });
});

describe('groupFromCgroup: the rest', () => {
  it('takes a v1 controller path when neither v2 nor systemd place it (this machine)', () => {
    expect(groupOf('v1-hybrid-no-systemd-sandbox')).toMatchObject({ kind: 'other', name: expect.stringMatching(/^process_api\/[0-9a-f]{32}$/) });
  });

  it('gives no group at the root or for unparseable text', () => {
    expect(groupOf('v2-root')).toBeUndefined();
    expect(groupFromCgroup('')).toBeUndefined();
    expect(groupFromCgroup('garbage without colons\n')).toBeUndefined();
  });
});
