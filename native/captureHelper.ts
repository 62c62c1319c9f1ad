/**
 * Where the capture helper lives (native/helper/forkscope_helper.c: a dumpcap-style program with
 * file capabilities that hands an unprivileged Forkscope a subscribed proc-connector socket), and
 * the one command that gets it installed or usable. The helper is run only from an installed,
 * root-owned place: the copy the build leaves in native/build has no capabilities and is what
 * `forkscope setup-helper` installs.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { locateAddon } from './loadAddon';

/** An explicit helper path (tests, custom installs); when set, nothing else is tried. */
export const HELPER_PATH_ENV = 'FORKSCOPE_HELPER';
/** Where `forkscope setup-helper` installs it. */
export const INSTALLED_HELPER_DIR = '/usr/lib/forkscope';
export const HELPER_FILE_NAME = 'forkscope-helper';
/** The group whose members may run it (mode 0750), as wireshark's for dumpcap. */
export const HELPER_GROUP = 'forkscope';
/** What it is installed with: listening + a big buffer, and the reader's real-time priority. */
export const HELPER_CAPABILITIES = 'cap_net_admin,cap_sys_nice+ep';

/** The places an installed helper may be, in the order they are tried. */
export function helperCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const explicit = env[HELPER_PATH_ENV];
  if (explicit) return [path.resolve(explicit)];
  const candidates = [path.join(INSTALLED_HELPER_DIR, HELPER_FILE_NAME)];
  // The .deb leaves it in the app's resources and sets its group and capabilities in postinst.
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) candidates.push(path.join(resourcesPath, HELPER_FILE_NAME));
  return candidates;
}

/**
 * The first candidate that exists (executable or not: running it says why it cannot run). An
 * explicit FORKSCOPE_HELPER is returned as it is, so that a wrong one is reported by its path.
 */
export function findInstalledHelper(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env[HELPER_PATH_ENV]) return helperCandidates(env)[0];
  return helperCandidates(env).find((candidate) => fs.existsSync(candidate));
}

/** The helper the build produced, beside the addon; the source `setup-helper` installs from. */
export function locateBuiltHelper(): string {
  const built = path.join(path.dirname(locateAddon()), HELPER_FILE_NAME);
  if (!fs.existsSync(built)) throw new Error(`${built} is missing: run \`npm run build:native\``);
  return built;
}

/** How this user runs the forkscope CLI with sudo: the exact node and script of this run. */
export function setupHelperCommand(): string {
  const script = findCliScript();
  const quote = (word: string): string => (/^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`);
  return script ? `sudo ${quote(process.execPath)} ${quote(script)} setup-helper` : 'sudo forkscope setup-helper';
}

/** The command that adds this user to the helper's group (then log out and in). */
export function joinGroupCommand(): string {
  return `sudo usermod -aG ${HELPER_GROUP} ${os.userInfo().username}`;
}

function findCliScript(): string | undefined {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'bin', 'forkscope.js');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}
