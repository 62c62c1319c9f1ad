/**
 * A small, strict argument parser for the `forkscope` subcommands. Unknown flags, missing values
 * and malformed numbers are errors with a clear message (exit code 2), never silently ignored.
 */

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export type FlagSpec = { type: 'boolean' } | { type: 'string' } | { type: 'number'; min?: number; max?: number; integer?: boolean };

export type ParsedFlags = Record<string, string | number | boolean | undefined>;

export interface ParsedArgs {
  flags: ParsedFlags;
  positionals: string[];
}

/** Parse `--name value`, `--name=value` and boolean `--name` flags against a spec. */
export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const flags: ParsedFlags = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg.length > 1) throw new UsageError(`unknown option '${arg}'`);
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const flag = spec[name];
    if (!flag) throw new UsageError(`unknown option '--${name}'`);
    if (flag.type === 'boolean') {
      if (eq !== -1) throw new UsageError(`option '--${name}' takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = argv[i + 1];
      i++;
    }
    if (value === undefined || (eq === -1 && value.startsWith('--'))) {
      throw new UsageError(`option '--${name}' needs a value`);
    }
    flags[name] = flag.type === 'number' ? parseNumber(name, value, flag) : value;
  }
  return { flags, positionals };
}

function parseNumber(name: string, text: string, spec: { min?: number; max?: number; integer?: boolean }): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new UsageError(`option '--${name}' needs a number, got '${text}'`);
  if (spec.integer && !Number.isInteger(value)) throw new UsageError(`option '--${name}' needs a whole number, got '${text}'`);
  if (spec.min !== undefined && value < spec.min) throw new UsageError(`option '--${name}' must be at least ${spec.min}`);
  if (spec.max !== undefined && value > spec.max) throw new UsageError(`option '--${name}' must be at most ${spec.max}`);
  return value;
}
