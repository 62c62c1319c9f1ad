/**
 * `forkscope events`: a live event log, one line per event (or NDJSON with --json), on top of the
 * same engine as the app, so that loss is answered with a /proc resync and reported.
 */
import { describeLoss, describeSource } from '../sourceSummary';
import { EVENT_KINDS, isEventKind, type EventKind, type ProcEvent } from '../../common/events';
import { sameGroup, type ProcessGroup, type ProcessInfo } from '../../common/process';
import { createEngine, type Engine } from '../../core/engine';
import { PidWatch } from '../../core/model/PidWatch';
import type { PlacementChange } from '../../core/model/ProcessTable';
import { readProcClock, startTimeToEpochMs, type ProcClock } from '../../core/model/ProcClock';
import { parseArgs, UsageError } from '../args';
import { EVENT_LINE_HEADER, formatEventLine, commandOf, type KnownProcess } from '../eventLine';
import { ndjsonOf } from '../ndjsonOf';
import { StdoutWriter } from '../stdoutWriter';
import { liveEngineOptions } from '../engineOptions';
import { untilStopped } from '../untilStopped';

/** Processes remembered for duration/command at exit; beyond this the oldest are forgotten. */
const MAX_KNOWN = 200_000;

interface EventsOptions {
  json: boolean;
  durationMs?: number;
  pid?: number;
  follow: boolean;
  kinds: ReadonlySet<EventKind>;
}

function parseKinds(text: string): Set<EventKind> {
  const kinds = new Set<EventKind>();
  for (const part of text.split(',')) {
    const kind = part.trim();
    if (!isEventKind(kind)) throw new UsageError(`unknown event kind '${kind}' (kinds: ${EVENT_KINDS.join(', ')})`);
    kinds.add(kind);
  }
  return kinds;
}

/** Remembers start time and command per live pid, so exit lines can say how long and what. */
class ProcessMemory {
  private readonly known = new Map<number, KnownProcess>();

  constructor(private readonly clock: ProcClock) {}

  lookup(pid: number): KnownProcess | undefined {
    return this.known.get(pid);
  }

  /** Update from one event; call after formatting it (an exit line needs what came before). */
  note(event: ProcEvent): void {
    switch (event.kind) {
      case 'fork': {
        const parent = event.ppid === undefined ? undefined : this.known.get(event.ppid);
        this.set(event.pid, { startedAt: event.ts, command: parent?.command ?? commandOf(event, undefined) });
        break;
      }
      case 'exec': {
        const previous = this.known.get(event.pid);
        const startedAt =
          previous?.startedAt ?? (event.startTime === undefined ? undefined : startTimeToEpochMs(this.clock, event.startTime));
        this.set(event.pid, { ...(startedAt === undefined ? {} : { startedAt }), command: commandOf(event, undefined) });
        break;
      }
      case 'exit':
        this.known.delete(event.pid);
        break;
      default:
        break;
    }
  }

  private set(pid: number, info: KnownProcess): void {
    this.known.delete(pid);
    this.known.set(pid, info);
    if (this.known.size > MAX_KNOWN) {
      const oldest = this.known.keys().next();
      if (!oldest.done) this.known.delete(oldest.value);
    }
  }
}

export async function runEventsCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, {
    json: { type: 'boolean' },
    duration: { type: 'number', min: 0 },
    pid: { type: 'number', integer: true, min: 1 },
    follow: { type: 'boolean' },
    kinds: { type: 'string' },
    source: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  if (flags.follow && flags.pid === undefined) throw new UsageError('--follow needs --pid');
  const options: EventsOptions = {
    json: flags.json === true,
    follow: flags.follow === true,
    // Loss is always shown: a filtered log that silently hid dropped events would lie.
    kinds: typeof flags.kinds === 'string' ? parseKinds(flags.kinds).add('lost') : new Set(EVENT_KINDS),
    ...(typeof flags.duration === 'number' ? { durationMs: flags.duration * 1000 } : {}),
    ...(typeof flags.pid === 'number' ? { pid: flags.pid } : {}),
  };
  // The log shows events as they come: no exited process, no per-process history, no samples.
  // The model is kept for what the log needs (--follow, loss repair) at the least cost per event.
  const live = liveEngineOptions(flags.source);
  const engine = await createEngine({
    ...live,
    // NDJSON is rendered by the reader thread, beside the batch (see native NdjsonRenderer).
    watcher: { ...live.watcher, ndjson: options.json },
    sampleIntervalMs: 0,
    maxTombstones: 0,
    historyLength: 0,
  });
  if (options.pid !== undefined && !engine.table.live(options.pid)) {
    await engine.close();
    process.stderr.write(`forkscope events: no process with pid ${options.pid}\n`);
    return 1;
  }
  return streamEvents(engine, options);
}

/**
 * The groups an NDJSON log gives (see the contract in common/events.ts). members(events) gives the
 * `"group":{…}` member of a batch's fork and exec lines: each process's group as the model knows
 * it once the batch is applied. The log keeps no tombstones, so a process that exited within the
 * batch — often its parent too, in a storm — is no longer in the model: the model's record of
 * each pid this log has named is kept until its exit (a group read that lands later updates that
 * same record), and a fork's child that is already gone is named by its parent's. changed() gives
 * the line that tells a new group of a process a printed line named. One JSON text per group.
 */
class GroupNames {
  private readonly texts = new WeakMap<ProcessGroup, string>();
  /** pid → the model's record of it; bounded by the processes alive (exits remove them). */
  private readonly named = new Map<number, ProcessInfo>();
  /** pid → the group its last printed fork or exec line gave it, until its exit. */
  private readonly printed = new Map<number, ProcessGroup | undefined>();

  constructor(private readonly engine: Engine) {}

  members(events: readonly ProcEvent[]): (event: ProcEvent) => string | undefined {
    const record = (pid: number): ProcessInfo | undefined => this.engine.table.live(pid) ?? this.named.get(pid);
    const groups = new Map<ProcEvent, ProcessGroup | undefined>();
    const exited = new Set<number>();
    for (const event of events) {
      if (event.kind === 'exit') exited.add(event.pid);
      if (event.kind !== 'fork' && event.kind !== 'exec') continue;
      // A child already gone stands in the log with its parent's record: its group is inherited.
      const info = record(event.pid) ?? (event.kind === 'fork' && event.ppid !== undefined ? record(event.ppid) : undefined);
      if (info) this.named.set(event.pid, info);
      groups.set(event, info?.group);
    }
    for (const pid of exited) {
      this.named.delete(pid);
      this.printed.delete(pid);
    }
    // Exits lost to an overflow would leave stale pids: never let these grow without bound.
    if (this.named.size > 1 << 16) this.named.clear();
    if (this.printed.size > 1 << 16) this.printed.clear();
    return (event) => {
      if (!groups.has(event)) return undefined;
      const group = groups.get(event);
      if (!exited.has(event.pid)) this.printed.set(event.pid, group);
      return this.textOf(group);
    };
  }

  /** The GroupLine for a re-read that gave a process a printed line named a new group, if it did. */
  changed(change: PlacementChange, ts: number): string | undefined {
    const { pid, group } = change;
    if (!group || !this.printed.has(pid) || sameGroup(this.printed.get(pid), group)) return undefined;
    this.printed.set(pid, group);
    return `{"kind":"group","ts":${ts},"pid":${pid},${this.textOf(group)}}`;
  }

  private textOf(group: ProcessGroup | undefined): string | undefined {
    if (!group) return undefined;
    let text = this.texts.get(group);
    if (text === undefined) {
      text = `"group":${JSON.stringify(group)}`;
      this.texts.set(group, text);
    }
    return text;
  }
}

async function streamEvents(engine: Engine, options: EventsOptions): Promise<number> {
  let seen = 0;
  let printed = 0;
  let stdoutClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => (stdoutClosed = resolve));
  const out = new StdoutWriter(process.stdout, () => stdoutClosed());
  const memory = new ProcessMemory(readProcClock());
  const watch = options.pid === undefined ? undefined : new PidWatch(options.kinds);
  const groups = new GroupNames(engine);
  if (watch && options.pid !== undefined) {
    watch.watch(options.pid, { follow: options.follow });
    // Following covers the subtree as it is now, not only what it forks from here on.
    const root = options.follow ? engine.table.live(options.pid) : undefined;
    for (const descendant of root ? engine.table.liveDescendants(root.key) : []) {
      watch.watch(descendant.pid, { follow: true });
    }
  }

  // Readiness and the live source go to stderr (stdout carries nothing but events).
  process.stderr.write(`forkscope events: listening — ${describeSource(engine.status())}\n`);
  if (!options.json) out.writeLines([EVENT_LINE_HEADER]);
  // A process moved to its cgroup around its exec may have had its old group on that line.
  const stopPlacements = engine.onPlacementChange((change) => {
    const line = options.json ? groups.changed(change, Date.now()) : undefined;
    if (line === undefined) return;
    printed++;
    out.writeLines([line]);
  });
  const unsubscribe = engine.onEvents((events, rendered) => {
    seen += events.length;
    const selected = watch ? watch.filter(events) : events.filter((event) => options.kinds.has(event.kind));
    if (options.json) {
      printed += selected.length;
      if (selected.length > 0) out.writeBytes(ndjsonOf(events, selected, rendered, groups.members(events)));
      return;
    }
    const lines: string[] = [];
    let next = 0;
    for (const event of events) {
      // Print the selected ones, but let every event update what we remember of each process.
      if (selected[next] === event) {
        lines.push(formatEventLine(event, memory.lookup(event.pid)));
        next++;
      }
      memory.note(event);
    }
    printed += lines.length;
    out.writeLines(lines);
  });

  await untilStopped({ durationMs: options.durationMs, also: closed });
  unsubscribe();
  stopPlacements();
  const status = engine.status();
  await engine.close();
  await out.flush();

  process.stderr.write(
    `forkscope events: ${seen} events seen, ${printed} printed, ${describeLoss(status)}; source: ${describeSource(status)}\n`,
  );
  return 0;
}
