/**
 * Installs the capture helper as Wireshark's packaging installs dumpcap: root-owned, group
 * `forkscope`, mode 0750, file capabilities cap_net_admin,cap_sys_nice+ep. Idempotent: a second
 * run finds everything in place and says so. Runs no shell: every step is a direct call or an
 * execFile of a fixed program with fixed arguments.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HELPER_CAPABILITIES, HELPER_FILE_NAME } from '../../../native/captureHelper';

// The helper's facts a host needs to install it (`forkscope setup-helper`): hosts reach them here,
// never in native past core.
export { HELPER_CAPABILITIES, HELPER_GROUP, INSTALLED_HELPER_DIR, locateBuiltHelper, setupHelperCommand } from '../../../native/captureHelper';

export interface InstallHelperOptions {
  /** The built helper to install (native/build/Release/forkscope-helper). */
  source: string;
  /** Directory to install into (default /usr/lib/forkscope). */
  dir: string;
  group: string;
  /** Receives one line per step, as it happens. */
  say: (line: string) => void;
}

/** A step that could not be done, with what to do about it. */
export class InstallHelperError extends Error {
  override readonly name = 'InstallHelperError';
}

/** The gid of `group`, or undefined when there is no such group. */
export function groupId(group: string): number | undefined {
  try {
    const entry = execFileSync('getent', ['group', group], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const gid = Number(entry.split(':')[2]);
    return Number.isInteger(gid) ? gid : undefined;
  } catch {
    return undefined;
  }
}

/** The capabilities `getcap` reports for `file` ("cap_net_admin,cap_sys_nice=ep"), "" for none. */
export function fileCapabilities(file: string): string {
  let out: string;
  try {
    out = execFileSync('getcap', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InstallHelperError(code === 'ENOENT' ? 'getcap not found: install libcap2-bin' : `getcap ${file}: ${(error as Error).message}`);
  }
  // "/path cap_a,cap_b=ep" (libcap ≥ 2.40) or "/path = cap_a,cap_b+ep" (older).
  return out.trim().slice(file.length).replace(/^\s*=?\s*/, '').trim();
}

/** Whether getcap's text grants exactly what the helper is installed with. */
export function hasHelperCapabilities(caps: string): boolean {
  const normalized = caps.replace('+ep', '=ep');
  return normalized === 'cap_net_admin,cap_sys_nice=ep' || normalized === 'cap_sys_nice,cap_net_admin=ep';
}

function run(program: string, args: string[], missingPackage: string): void {
  try {
    execFileSync(program, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    const err = error as NodeJS.ErrnoException & { stderr?: Buffer };
    if (err.code === 'ENOENT') throw new InstallHelperError(`${program} not found: install ${missingPackage}`);
    throw new InstallHelperError(`${program} ${args.join(' ')}: ${err.stderr?.toString().trim() || err.message}`);
  }
}

/** Installs (or confirms) the helper; returns its path. Needs root. */
export function installHelper(options: InstallHelperOptions): string {
  const { source, dir, group, say } = options;
  const target = path.join(dir, HELPER_FILE_NAME);
  if (process.getuid?.() !== 0) throw new InstallHelperError('installing the capture helper needs root');

  let gid = groupId(group);
  if (gid === undefined) {
    say(`creating the system group ${group}`);
    run('groupadd', ['--system', group], 'passwd');
    gid = groupId(group);
    if (gid === undefined) throw new InstallHelperError(`groupadd ran, yet there is no group ${group}`);
  } else {
    say(`group ${group} exists (gid ${gid})`);
  }

  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const wanted = fs.readFileSync(source);
  if (isInstalled(target, wanted, gid)) {
    say(`${target} is installed and up to date (root:${group} 0750, ${HELPER_CAPABILITIES}): nothing to do`);
    return target;
  }
  // Build the new file beside the target and rename it into place, so that the helper is never
  // seen half-written or with its capabilities missing. setcap comes last: chown clears it.
  const staging = `${target}.new-${process.pid}`;
  try {
    fs.writeFileSync(staging, wanted, { mode: 0o700 });
    fs.chownSync(staging, 0, gid);
    fs.chmodSync(staging, 0o750);
    run('setcap', [HELPER_CAPABILITIES, staging], 'libcap2-bin');
    fs.renameSync(staging, target);
  } finally {
    fs.rmSync(staging, { force: true });
  }
  if (!hasHelperCapabilities(fileCapabilities(target))) {
    throw new InstallHelperError(`${target} lost its capabilities (is ${dir} on a filesystem without extended attributes?)`);
  }
  say(`installed ${target} (root:${group} 0750, ${HELPER_CAPABILITIES})`);
  return target;
}

function isInstalled(target: string, wanted: Buffer, gid: number): boolean {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(target);
  } catch {
    return false;
  }
  return (
    stat.uid === 0 &&
    stat.gid === gid &&
    (stat.mode & 0o7777) === 0o750 &&
    fs.readFileSync(target).equals(wanted) &&
    hasHelperCapabilities(fileCapabilities(target))
  );
}

/** Removes the helper (and its directory when empty); the group stays, as users may be in it. */
export function uninstallHelper(dir: string, say: (line: string) => void): void {
  if (process.getuid?.() !== 0) throw new InstallHelperError('removing the capture helper needs root');
  const target = path.join(dir, HELPER_FILE_NAME);
  if (!fs.existsSync(target)) {
    say(`${target} is not installed: nothing to do`);
    return;
  }
  fs.rmSync(target);
  say(`removed ${target}`);
  try {
    fs.rmdirSync(dir);
    say(`removed the empty directory ${dir}`);
  } catch {
    // Not empty, or not ours to remove: leave it.
  }
}
