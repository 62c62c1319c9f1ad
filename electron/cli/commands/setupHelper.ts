/**
 * `forkscope setup-helper [--uninstall] [--dir DIR] [--group NAME]`: installs the capture helper
 * for npm and AppImage users (the .deb does the same in its postinst). Needs root: without it, it
 * says so and prints the sudo and pkexec lines. Says what it will do before doing it.
 */
import { execFileSync } from 'node:child_process';
import {
  HELPER_CAPABILITIES,
  HELPER_GROUP,
  installHelper,
  InstallHelperError,
  INSTALLED_HELPER_DIR,
  locateBuiltHelper,
  setupHelperCommand,
  uninstallHelper,
} from '../../core/capture/installHelper';
import { parseArgs, UsageError } from '../args';

export async function runSetupHelperCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { uninstall: { type: 'boolean' }, dir: { type: 'string' }, group: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const dir = typeof flags.dir === 'string' ? flags.dir : INSTALLED_HELPER_DIR;
  const group = typeof flags.group === 'string' ? flags.group : HELPER_GROUP;
  if (!dir.startsWith('/')) throw new UsageError('--dir must be an absolute path');
  if (!/^[a-z_][a-z0-9_-]{0,31}$/.test(group)) throw new UsageError(`--group '${group}' is not a valid group name`);
  const say = (line: string): void => void process.stdout.write(`forkscope setup-helper: ${line}\n`);

  if (process.getuid?.() !== 0) {
    const command = `${setupHelperCommand()}${argv.length > 0 ? ` ${argv.join(' ')}` : ''}`;
    process.stderr.write(
      `forkscope setup-helper: this needs root (it installs a program with file capabilities). Run:\n` +
        `  ${command}\n  or: ${command.replace(/^sudo /, 'pkexec ')}\n`,
    );
    return 1;
  }
  try {
    if (flags.uninstall) {
      say(`removing the capture helper from ${dir} (the group ${group} stays: 'groupdel ${group}' removes it)`);
      uninstallHelper(dir, say);
      return 0;
    }
    const source = locateBuiltHelper();
    say(
      `installing the capture helper ${source} into ${dir}: owner root, group ${group} (created if missing), ` +
        `mode 0750, capabilities ${HELPER_CAPABILITIES}`,
    );
    installHelper({ source, dir, group, say });
    const user = process.env.SUDO_USER;
    if (user && user !== 'root') {
      const member = userInGroup(user, group);
      say(
        member
          ? `${user} is in the group ${group}: Forkscope uses the helper from its next start`
          : `now add ${user} to the group and log in again: sudo usermod -aG ${group} ${user}`,
      );
    } else {
      say(`users who may run it must be in the group ${group}: sudo usermod -aG ${group} USER (then log in again)`);
    }
    return 0;
  } catch (error) {
    if (!(error instanceof InstallHelperError)) throw error;
    process.stderr.write(`forkscope setup-helper: ${error.message}\n`);
    return 1;
  }
}

/** Whether `user` is in `group` by the account database (their running sessions may predate it). */
function userInGroup(user: string, group: string): boolean {
  try {
    return execFileSync('id', ['-nG', user], { encoding: 'utf8' }).trim().split(/\s+/).includes(group);
  } catch {
    return false;
  }
}
