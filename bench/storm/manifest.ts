/**
 * The storm generator's manifest: ground truth for what a storm created (see storm.c for the
 * format). Parsing is strict: a line that is not understood is an error, not silently skipped,
 * because a quietly short manifest would make every reader look perfect.
 */

export type StormMode = 'exec' | 'fork' | 'nested' | 'threads' | 'hold';

export const STORM_MODES: readonly StormMode[] = ['exec', 'fork', 'nested', 'threads', 'hold'];

export interface StormChild {
  pid: number;
  ppid: number;
  /** 1 for the storm's own children, deeper for nested trees. */
  depth: number;
  expectedCode: number;
  /** argv marker the child carries ("forkscope-storm-RUNID-I"); null when it does not exec. */
  marker: string | null;
}

export interface StormThread {
  tgid: number;
  tid: number;
}

export interface StormManifest {
  mode: StormMode;
  runId: string;
  stormPid: number;
  children: StormChild[];
  threads: StormThread[];
  /** Children (or threads) the root started, as it counted them. */
  generated: number;
  elapsedMs: number;
  /** fork/pthread_create calls that failed (EAGAIN): the storm was smaller than asked. */
  failedStarts: number;
}

export class ManifestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ManifestError';
  }
}

function integer(text: string | undefined, what: string, lineNo: number): number {
  if (text === undefined || !/^\d+$/.test(text)) {
    throw new ManifestError(`manifest line ${lineNo}: ${what} is not a non-negative integer: ${JSON.stringify(text)}`);
  }
  return Number(text);
}

function isStormMode(value: string | undefined): value is StormMode {
  return (STORM_MODES as readonly (string | undefined)[]).includes(value);
}

export function parseManifest(text: string): StormManifest {
  let header: Pick<StormManifest, 'mode' | 'runId' | 'stormPid'> | null = null;
  let trailer: Pick<StormManifest, 'generated' | 'elapsedMs' | 'failedStarts'> | null = null;
  const children: StormChild[] = [];
  const threads: StormThread[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    const lineNo = index + 1;
    if (line === '') continue;
    const fields = line.split('\t');
    switch (fields[0]) {
      case 'S': {
        if (!isStormMode(fields[1])) throw new ManifestError(`manifest line ${lineNo}: unknown mode ${fields[1]}`);
        if (!fields[2]) throw new ManifestError(`manifest line ${lineNo}: missing run id`);
        header = { mode: fields[1], runId: fields[2], stormPid: integer(fields[3], 'storm pid', lineNo) };
        break;
      }
      case 'C':
        if (fields.length !== 6) throw new ManifestError(`manifest line ${lineNo}: child record needs 6 fields`);
        children.push({
          pid: integer(fields[1], 'pid', lineNo),
          ppid: integer(fields[2], 'ppid', lineNo),
          depth: integer(fields[3], 'depth', lineNo),
          expectedCode: integer(fields[4], 'code', lineNo),
          marker: fields[5] === '-' ? null : (fields[5] ?? null),
        });
        break;
      case 'T':
        threads.push({ tgid: integer(fields[1], 'tgid', lineNo), tid: integer(fields[2], 'tid', lineNo) });
        break;
      case 'E':
        trailer = {
          generated: integer(fields[1], 'generated', lineNo),
          elapsedMs: integer(fields[2], 'elapsed ns', lineNo) / 1e6,
          failedStarts: integer(fields[3], 'failed starts', lineNo),
        };
        break;
      default:
        throw new ManifestError(`manifest line ${lineNo}: unknown record ${JSON.stringify(line.slice(0, 40))}`);
    }
  }
  if (header === null) throw new ManifestError('manifest has no S (start) record');
  if (trailer === null) throw new ManifestError('manifest has no E (end) record: the storm did not finish');
  return { ...header, children, threads, ...trailer };
}

/**
 * Storms run at the same time, as one: every child and thread, the sum of what they generated
 * and failed to start, the longest elapsed time. Mode, run id and pid are the first storm's.
 */
export function mergeManifests(manifests: readonly StormManifest[]): StormManifest {
  const [first, ...rest] = manifests;
  if (first === undefined) throw new RangeError('mergeManifests needs at least one manifest');
  return rest.reduce<StormManifest>(
    (merged, m) => ({
      ...merged,
      children: [...merged.children, ...m.children],
      threads: [...merged.threads, ...m.threads],
      generated: merged.generated + m.generated,
      elapsedMs: Math.max(merged.elapsedMs, m.elapsedMs),
      failedStarts: merged.failedStarts + m.failedStarts,
    }),
    first,
  );
}
