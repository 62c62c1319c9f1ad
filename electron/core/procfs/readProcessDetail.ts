/**
 * Everything /proc tells about one process, each field read independently and each allowed to
 * fail on its own (permission, zombie, kernel thread, gone). Identity first: the pid's start time
 * must equal the one asked for, before and after the reads, or nothing is shown — a recycled pid
 * must never lend its data to the process the user clicked.
 *
 * Returns a full ProcessDetail with an empty `history` and no `exit`/`lifetimeMs`: those come from
 * the model, which merges them in.
 */
import { readFile, readdir, readlink } from 'node:fs/promises';
import { unreadableProcFields, type EnvEntry, type FdInfo, type FdsInfo, type Field, type NamespaceEntry, type ProcessDetail, type StatusFields, type TextDecodeNotes } from '../../common/detail';
import { procKey } from '../../common/process';
import { parseCgroup } from './parseCgroup';
import { CMDLINE_MAX_BYTES, parseCmdline } from './parseCmdline';
import { ENVIRON_MAX_BYTES, parseEnviron } from './parseEnviron';
import { parseIo } from './parseIo';
import { parseLimits } from './parseLimits';
import { parseNamespaceLink } from './parseNamespaceLink';
import { parseSchedstat } from './parseSchedstat';
import { parseInteger, parseWchan } from './parseSingleValue';
import { parseSmapsRollup } from './parseSmapsRollup';
import { isKernelThread, parseStat, type ParsedStat } from './parseStat';
import { parseStatus } from './parseStatus';
import { ProcParseError } from './ProcParseError';
import { readCapped } from './readProcFile';
import { emptyFor, errnoCode, fromError, unreadable, type ProcessCondition, type Unreadable } from './unreadable';
import type { UserNames } from './userNames';

export interface DetailReadOptions {
  /** procfs mount to read; tests point it at a fixture tree. */
  root?: string;
  /** Names owners in messages ("belongs to root") and fills `user`. Refreshed before reading. */
  users?: UserNames;
  /** fds listed with their targets; the count covers all. */
  maxFdEntries?: number;
  cmdlineMaxBytes?: number;
  environMaxBytes?: number;
}

export const DEFAULT_MAX_FD_ENTRIES = 256;

function ok<T>(value: T): Field<T> {
  return { ok: true, value };
}

/** Runs one read; a parser's complaint is an 'error' field, an errno is mapped by the condition. */
async function attempt<T>(path: string, condition: ProcessCondition, read: () => Promise<Field<T>>): Promise<Field<T>> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ProcParseError) return unreadable('error', `${path}: ${error.message}`);
    return fromError(error, path, condition);
  }
}

type IdentityCheck = { kind: 'same'; stat: ParsedStat } | { kind: 'gone' | 'recycled' | 'unreadable'; failure: Unreadable };

async function checkIdentity(dir: string, pid: number, startTime: number): Promise<IdentityCheck> {
  const path = `${dir}/stat`;
  let stat: ParsedStat;
  try {
    stat = parseStat(await readFile(path, 'utf8'));
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ESRCH') return { kind: 'gone', failure: unreadable('ESRCH', `process ${pid} has exited`) };
    // Without stat the identity cannot be checked, so nothing else may be shown either.
    const failure = error instanceof ProcParseError ? unreadable('error', `${path}: ${error.message}`) : fromError(error, path, { pid });
    return { kind: 'unreadable', failure };
  }
  if (stat.fields.startTime !== startTime) {
    return {
      kind: 'recycled',
      failure: unreadable('recycled', `pid ${pid} now belongs to another process (started at tick ${stat.fields.startTime}, not ${startTime})`),
    };
  }
  return { kind: 'same', stat };
}

async function readFds(dir: string, maxEntries: number, condition: ProcessCondition): Promise<Field<FdsInfo>> {
  const names = await readdir(`${dir}/fd`);
  if (names.length === 0) return emptyFor(`${dir}/fd`, condition) ?? ok({ count: 0, entries: [], truncated: false });
  const fds = names.map(Number).filter(Number.isInteger).sort((a, b) => a - b);
  const listed = await Promise.all(
    fds.slice(0, maxEntries).map(async (fd): Promise<FdInfo | null> => {
      try {
        return { fd, target: await readlink(`${dir}/fd/${fd}`) };
      } catch (error) {
        // Closed between readdir and readlink: it is no longer an open fd, so it is not listed.
        if (errnoCode(error) === 'ENOENT') return null;
        throw error;
      }
    }),
  );
  const entries = listed.filter((entry): entry is FdInfo => entry !== null);
  return ok({ count: fds.length, entries, truncated: fds.length > maxEntries });
}

async function readNamespaces(dir: string, condition: ProcessCondition): Promise<Field<NamespaceEntry[]>> {
  const names = (await readdir(`${dir}/ns`)).sort();
  const entries = await Promise.all(
    names.map(async (name) => {
      try {
        return parseNamespaceLink(name, await readlink(`${dir}/ns/${name}`));
      } catch (error) {
        // An exiting task releases its namespaces (a zombie keeps only pid and user): skip those.
        if (errnoCode(error) === 'ENOENT') return null;
        throw error;
      }
    }),
  );
  const readable = entries.filter((entry): entry is NamespaceEntry => entry !== null);
  return readable.length === 0 ? (emptyFor(`${dir}/ns`, condition) ?? ok([])) : ok(readable);
}

/** A file that is legitimately empty for zombies and kernel threads. */
function nonEmpty<T>(path: string, isEmpty: boolean, condition: ProcessCondition, value: T): Field<T> {
  return (isEmpty ? emptyFor(path, condition) : null) ?? ok(value);
}

export async function readProcessDetail(pid: number, startTime: number, options: DetailReadOptions = {}): Promise<ProcessDetail> {
  const root = options.root ?? '/proc';
  const dir = `${root}/${pid}`;
  const base = { key: procKey(pid, startTime), pid, startTime, history: [] };

  const before = await checkIdentity(dir, pid, startTime);
  if (before.kind !== 'same') {
    return { ...base, fetchedAt: Date.now(), alive: before.kind === 'unreadable', ...unreadableProcFields(before.failure) };
  }
  const stat = before.stat;
  const kernelThread = isKernelThread(stat);
  await options.users?.refresh();

  // status first: its uid names the owner in every "permission denied" message below.
  const statusPath = `${dir}/status`;
  const status: Field<StatusFields> = await attempt(statusPath, { pid, state: stat.fields.state, kernelThread }, async () => ok(parseStatus(await readFile(statusPath, 'utf8'))));
  const uid = status.ok ? status.value.uids[0] : undefined;
  const user = uid === undefined ? undefined : (options.users?.name(uid) ?? String(uid));
  const condition: ProcessCondition = { pid, state: stat.fields.state, kernelThread, ...(user === undefined ? {} : { owner: user }) };

  const text = <T>(file: string, parse: (content: string) => T): Promise<Field<T>> => {
    const path = `${dir}/${file}`;
    return attempt(path, condition, async () => ok(parse(await readFile(path, 'utf8'))));
  };
  const link = (name: string): Promise<Field<string>> => {
    const path = `${dir}/${name}`;
    return attempt(path, condition, async () => ok(await readlink(path)));
  };

  let cmdlineNotes: TextDecodeNotes | undefined;
  let environNotes: TextDecodeNotes | undefined;
  const cmdlinePath = `${dir}/cmdline`;
  const environPath = `${dir}/environ`;
  const cmdlineMax = options.cmdlineMaxBytes ?? CMDLINE_MAX_BYTES;
  const environMax = options.environMaxBytes ?? ENVIRON_MAX_BYTES;

  const [cmdline, environ, exe, cwd, rootLink, fds, io, limits, cgroup, namespaces, smapsRollup, schedstat, wchan, oomScore, oomScoreAdj] = await Promise.all([
    attempt(cmdlinePath, condition, async (): Promise<Field<string[]>> => {
      const { bytes, truncated } = await readCapped(cmdlinePath, cmdlineMax);
      const { items, lossy, truncated: cut } = parseCmdline(bytes, cmdlineMax, truncated);
      cmdlineNotes = { lossy, truncated: cut };
      return nonEmpty(cmdlinePath, items.length === 0, condition, items);
    }),
    attempt(environPath, condition, async (): Promise<Field<EnvEntry[]>> => {
      const { bytes, truncated } = await readCapped(environPath, environMax);
      const parsed = parseEnviron(bytes, environMax, truncated);
      environNotes = { lossy: parsed.lossy, truncated: parsed.truncated };
      return nonEmpty(environPath, parsed.entries.length === 0, condition, parsed.entries);
    }),
    link('exe'),
    link('cwd'),
    link('root'),
    attempt(`${dir}/fd`, condition, () => readFds(dir, options.maxFdEntries ?? DEFAULT_MAX_FD_ENTRIES, condition)),
    text('io', parseIo),
    text('limits', parseLimits),
    text('cgroup', parseCgroup),
    attempt(`${dir}/ns`, condition, () => readNamespaces(dir, condition)),
    text('smaps_rollup', parseSmapsRollup),
    text('schedstat', parseSchedstat),
    text('wchan', parseWchan),
    text('oom_score', (content) => parseInteger('oom_score', content)),
    text('oom_score_adj', (content) => parseInteger('oom_score_adj', content)),
  ]);

  // The pid may have been reused while we read: then some fields may describe the newcomer.
  const after = await checkIdentity(dir, pid, startTime);
  if (after.kind === 'recycled') return { ...base, fetchedAt: Date.now(), alive: false, ...unreadableProcFields(after.failure) };

  const detail: ProcessDetail = {
    ...base,
    fetchedAt: Date.now(),
    // A zombie has exited; it lingers only until its parent reaps it.
    alive: after.kind === 'same' && after.stat.fields.state !== 'Z',
    stat: ok(stat.fields),
    status,
    cmdline,
    comm: ok(stat.comm),
    exe,
    cwd,
    root: rootLink,
    environ,
    fds,
    io,
    limits,
    cgroup,
    namespaces,
    smapsRollup,
    schedstat,
    wchan,
    oomScore,
    oomScoreAdj,
  };
  if (user !== undefined) detail.user = user;
  if (cmdlineNotes) detail.cmdlineNotes = cmdlineNotes;
  if (environNotes) detail.environNotes = environNotes;
  return detail;
}
