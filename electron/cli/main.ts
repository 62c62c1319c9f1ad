/**
 * The `forkscope` command: a host of electron/core like the Electron main process and the web
 * host. Each subcommand lives in commands/<name>.ts and returns its exit code.
 */
import { existsSync } from 'node:fs';
import { UsageError } from './args';

export const USAGE = `Usage: forkscope [command] [options]

Commands:
  (none) | start [FILE] open the app (Electron, downloaded on first use; web mode when the
                        download fails); with FILE, replay that recording
  events                live event log, one line per event (like forkstat)
      --json              NDJSON, one event object per line
      --duration S        stop after S seconds
      --pid P [--follow]  only process P (and, with --follow, its descendants)
      --kinds K,K,...     only these kinds (fork,exec,exit,thread-start,thread-exit,comm,
                          uid,gid,sid,ptrace,coredump,lost)
      --source netlink|poll   force an event source (default: netlink directly, else through
                          the capture helper, else polling /proc)
  snapshot --json       the current process tree as one JSON document (with each process's
                        group: systemd unit, container or pod; and its NSpid when namespaced)
  translate-pid PID --in P [--json]
                        the process that is pid PID inside the PID namespace of process P
                        (a container's): prints its pid here, then its NSpid chain
  web [FILE] [--port N] [--host H]
                        serve the app over HTTP on loopback; prints the URL first.
                        With FILE: replay that recording instead of the live system
  record -o FILE [--duration S] [--source netlink|poll]
                        record everything seen (snapshot, events, loss, keyframes) to FILE
  export FILE --format perfetto|ndjson -o OUT [--from MS] [--to MS] [--pid P]
                        a recording as a Perfetto trace (ui.perfetto.dev) or as NDJSON events
  doctor [--json]       what full capture needs on this machine, one measured fact per line,
                        each with its fix, and the capture mode that results
  setup-helper [--uninstall] [--dir DIR] [--group NAME]
                        (as root) install the capture helper that gives users of the group
                        'forkscope' full capture: /usr/lib/forkscope/forkscope-helper,
                        root:forkscope 0750, cap_net_admin,cap_sys_nice+ep
  FILE                  open a recording in the app (same as 'start FILE')
  help                  this text
`;

type Command = (argv: string[]) => Promise<number>;

/**
 * Each command's module is loaded only when it runs: `forkscope snapshot` should not pay for
 * the web host, ws and the recording code at start-up (it races `ps`).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands/start.js')).runStartCommand,
  events: async () => (await import('./commands/events.js')).runEventsCommand,
  snapshot: async () => (await import('./commands/snapshot.js')).runSnapshotCommand,
  'translate-pid': async () => (await import('./commands/translatePid.js')).runTranslatePidCommand,
  web: async () => (await import('./commands/web.js')).runWebCommand,
  record: async () => (await import('./commands/record.js')).runRecordCommand,
  export: async () => (await import('./commands/export.js')).runExportCommand,
  doctor: async () => (await import('./commands/doctor.js')).runDoctorCommand,
  'setup-helper': async () => (await import('./commands/setupHelper.js')).runSetupHelperCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  // `forkscope FILE` replays a recording in the app (Electron, or web mode without it).
  // Own properties only: 'toString' is not a command.
  const load = Object.hasOwn(COMMANDS, name ?? 'start') ? COMMANDS[name ?? 'start'] : undefined;
  if (name !== undefined && !load && !name.startsWith('-') && existsSync(name)) {
    return (await COMMANDS.start!())([name, ...rest]);
  }
  if (!load) {
    process.stderr.write(`forkscope: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  const command = await load();
  try {
    return await command(name === undefined ? [] : rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`forkscope ${name ?? 'start'}: ${error.message}\n(see 'forkscope help')\n`);
      return 2;
    }
    throw error;
  }
}
