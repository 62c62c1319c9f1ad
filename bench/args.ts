/** Command-line flags of `npm run bench -- …`. Unknown or malformed flags are errors. */

export const BENCHES = ['watcher', 'latency', 'snapshot', 'memory', 'recording', 'renderer', 'lifetime'] as const;
export type BenchName = (typeof BENCHES)[number];
export const WATCHER_STORMS = ['exec', 'fork', 'threads', 'mixed'] as const;
export type WatcherStorm = (typeof WATCHER_STORMS)[number];

export interface BenchArgs {
  only: BenchName[];
  storms: WatcherStorm[];
  /** exec storm children (architecture.md §4: 3000, 8 at a time). */
  children: number;
  forks: number;
  threads: number;
  unprivileged: boolean;
  drainTimeoutSec: number;
  /** snapshot bench: sleeping processes to stage, and runs per tool. */
  processes: number;
  runs: number;
  /** memory and recording benches: synthetic events (model + Session; recording written and read). */
  events: number;
  /** renderer bench: tree sizes, and seconds measured per size. */
  rendererNodes: number[];
  rendererSeconds: number;
  /** lifetime bench (the lifetime view alone): process counts. */
  lifetimeNodes: number[];
  help: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --only LIST               benches to run, of watcher,latency,snapshot,memory,recording,renderer,lifetime (default: all)
  --no-renderer             skip the renderer and lifetime benches (Playwright + Chromium)
  --storms exec,fork,threads,mixed  watcher storms to run (default: all; mixed = the other three at once)
  --children N              exec storm children (default 3000)
  --forks N                 fork storm children (default 20000)
  --threads N               thread storm threads (default 20000)
  --no-unprivileged         skip the pass as nobody with stock rmem_max
  --drain-timeout S         max wait for readers to drain (default 30)
  --processes N             snapshot bench: sleeping processes to stage (default 10000)
  --runs N                  snapshot bench: runs per tool (default 5)
  --events N                memory and recording benches: synthetic events (default 1000000)
  --renderer-nodes LIST     renderer bench: tree sizes (default 5000,20000,50000)
  --renderer-seconds S      renderer and lifetime benches: seconds measured per size (default 8)
  --lifetime-nodes LIST     lifetime bench: process counts (default 20000)
`;

export class ArgsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArgsError';
  }
}

function positiveInteger(flag: string, text: string | undefined): number {
  if (text === undefined || !/^\d+$/.test(text) || Number(text) <= 0) {
    throw new ArgsError(`${flag} needs a positive integer, got ${text === undefined ? 'nothing' : JSON.stringify(text)}`);
  }
  return Number(text);
}

function list<T extends string>(flag: string, text: string | undefined, allowed: readonly T[]): T[] {
  if (!text) throw new ArgsError(`${flag} needs a comma-separated list of ${allowed.join(', ')}`);
  const items = text.split(',');
  for (const item of items) {
    if (!(allowed as readonly string[]).includes(item)) throw new ArgsError(`${flag}: unknown ${JSON.stringify(item)} (one of ${allowed.join(', ')})`);
  }
  return [...new Set(items)] as T[];
}

function integerList(flag: string, text: string | undefined): number[] {
  if (!text) throw new ArgsError(`${flag} needs a comma-separated list of positive integers`);
  return text.split(',').map((item) => positiveInteger(flag, item));
}

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const args: BenchArgs = {
    only: [...BENCHES],
    storms: [...WATCHER_STORMS],
    children: 3000,
    forks: 20000,
    threads: 20000,
    unprivileged: true,
    drainTimeoutSec: 30,
    processes: 10000,
    runs: 5,
    events: 1_000_000,
    rendererNodes: [5000, 20000, 50000],
    rendererSeconds: 8,
    lifetimeNodes: [20000],
    help: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i]!;
    const value = (): string | undefined => {
      i += 1;
      return argv[i];
    };
    switch (flag) {
      case '--only': args.only = list(flag, value(), BENCHES); break;
      case '--storms': args.storms = list(flag, value(), WATCHER_STORMS); break;
      case '--children': args.children = positiveInteger(flag, value()); break;
      case '--forks': args.forks = positiveInteger(flag, value()); break;
      case '--threads': args.threads = positiveInteger(flag, value()); break;
      case '--no-unprivileged': args.unprivileged = false; break;
      case '--drain-timeout': args.drainTimeoutSec = positiveInteger(flag, value()); break;
      case '--processes': args.processes = positiveInteger(flag, value()); break;
      case '--runs': args.runs = positiveInteger(flag, value()); break;
      case '--events': args.events = positiveInteger(flag, value()); break;
      case '--no-renderer': args.only = args.only.filter((name) => name !== 'renderer' && name !== 'lifetime'); break;
      case '--renderer-nodes': args.rendererNodes = integerList(flag, value()); break;
      case '--renderer-seconds': args.rendererSeconds = positiveInteger(flag, value()); break;
      case '--lifetime-nodes': args.lifetimeNodes = integerList(flag, value()); break;
      case '--help': case '-h': args.help = true; break;
      default: throw new ArgsError(`unknown option ${JSON.stringify(flag)}`);
    }
  }
  return args;
}
