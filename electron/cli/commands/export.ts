/**
 * `forkscope export FILE --format perfetto|ndjson -o OUT [--from MS --to MS] [--pid P]`:
 * a recording, or a time range and/or subtree of it, as a Chrome JSON trace that ui.perfetto.dev
 * opens, or as the NDJSON event log of `forkscope events --json`. --from/--to are milliseconds
 * since the recording's start.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { exportNdjson } from '../../core/recording/exportNdjson';
import { exportPerfetto } from '../../core/recording/exportPerfetto';
import { RecordingFormatError } from '../../core/recording/format';
import { openRecording, type Recording } from '../../core/recording/Recording';
import type { Selection } from '../../core/recording/selection';
import { parseArgs, UsageError } from '../args';
import { withShortOutput } from './shortOutputFlag';

const FORMATS = ['perfetto', 'ndjson'] as const;
type Format = (typeof FORMATS)[number];

export interface ExportOptions {
  file: string;
  format: Format;
  out: string;
  fromMs?: number;
  toMs?: number;
  pid?: number;
}

export function parseExportArgs(argv: readonly string[]): ExportOptions {
  const { flags, positionals } = parseArgs(withShortOutput(argv), {
    format: { type: 'string' },
    output: { type: 'string' },
    from: { type: 'number', min: 0 },
    to: { type: 'number', min: 0 },
    pid: { type: 'number', integer: true, min: 1 },
  });
  const [file, extra] = positionals;
  if (file === undefined) throw new UsageError('export needs a recording: forkscope export FILE --format perfetto|ndjson -o OUT');
  if (extra !== undefined) throw new UsageError(`unexpected argument '${extra}'`);
  const format = flags.format;
  if (!(FORMATS as readonly unknown[]).includes(format)) throw new UsageError(`--format must be perfetto or ndjson, got '${String(format)}'`);
  const out = flags.output as string | undefined;
  if (out === undefined || out === '') throw new UsageError('export needs an output file: -o OUT');
  if (typeof flags.from === 'number' && typeof flags.to === 'number' && flags.from > flags.to) throw new UsageError('--from must not be after --to');
  return {
    file,
    format: format as Format,
    out,
    ...(typeof flags.from === 'number' ? { fromMs: flags.from } : {}),
    ...(typeof flags.to === 'number' ? { toMs: flags.to } : {}),
    ...(typeof flags.pid === 'number' ? { pid: flags.pid } : {}),
  };
}

function selectionOf(recording: Recording, options: ExportOptions): Selection {
  const start = recording.timeRange.start;
  return {
    ...(options.fromMs === undefined ? {} : { from: start + options.fromMs }),
    ...(options.toMs === undefined ? {} : { to: start + options.toMs }),
    ...(options.pid === undefined ? {} : { pid: options.pid }),
  };
}

export async function runExportCommand(argv: string[]): Promise<number> {
  const options = parseExportArgs(argv);
  let recording: Recording;
  try {
    recording = openRecording(options.file);
  } catch (error) {
    if (!(error instanceof RecordingFormatError)) throw error;
    process.stderr.write(`forkscope export: ${options.file}: ${error.message}\n`);
    return 1;
  }
  const selection = selectionOf(recording, options);
  const out = createWriteStream(options.out);
  const failed = once(out, 'error').then(([error]) => error as NodeJS.ErrnoException);
  let lines = 0;
  if (options.format === 'perfetto') {
    out.write(JSON.stringify(exportPerfetto(recording, selection)));
    lines = 1;
  } else {
    for (const line of exportNdjson(recording, selection)) {
      lines++;
      if (!out.write(`${line}\n`)) await Promise.race([once(out, 'drain'), failed]);
    }
  }
  out.end();
  // After the export: damage behind a valid CRC is found as the bodies are read (and replayed as lost).
  for (const note of recording.notes) process.stderr.write(`forkscope export: ${options.file}: ${note}\n`);
  const outcome = await Promise.race([once(out, 'finish').then(() => undefined), failed]);
  if (outcome) {
    process.stderr.write(`forkscope export: cannot write ${options.out}: ${outcome.code ?? outcome.message}\n`);
    return 1;
  }
  const what = options.format === 'perfetto' ? 'Perfetto trace (open it at ui.perfetto.dev)' : `${lines} events as NDJSON`;
  process.stderr.write(`forkscope export: ${what} → ${options.out}\n`);
  return 0;
}
