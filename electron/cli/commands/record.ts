/**
 * `forkscope record -o FILE [--duration S] [--source netlink|poll]`: record everything the engine
 * sees to FILE until the duration ends or SIGINT/SIGTERM, then close it cleanly and print a
 * summary on stderr (events, bytes, keyframes).
 */
import { describeLoss, describeSource } from '../sourceSummary';
import { createEngine } from '../../core/engine';
import { readProcClock } from '../../core/model/ProcClock';
import { startRecording } from '../../core/recording/Recorder';
import { parseArgs, UsageError } from '../args';
import { liveEngineOptions } from '../engineOptions';
import { untilStopped } from '../untilStopped';
import { withShortOutput } from './shortOutputFlag';

export async function runRecordCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(withShortOutput(argv), {
    output: { type: 'string' },
    duration: { type: 'number', min: 0 },
    source: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const path = flags.output as string | undefined;
  if (path === undefined || path === '') throw new UsageError('record needs an output file: -o FILE');
  const engine = await createEngine({ ...liveEngineOptions(flags.source), sampleIntervalMs: 0 });
  let recorder;
  try {
    recorder = startRecording(engine, { path }, { clock: readProcClock() });
  } catch (error) {
    await engine.close();
    process.stderr.write(`forkscope record: cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}\n`);
    return 1;
  }
  process.stderr.write(`forkscope record: recording to ${path} — source ${describeSource(engine.status())}; Ctrl-C to stop\n`);

  await untilStopped({ durationMs: typeof flags.duration === 'number' ? flags.duration * 1000 : undefined });

  const stats = recorder.close();
  const status = engine.status();
  await engine.close();
  const perEvent = stats.events > 0 ? ` (${(stats.bytes / stats.events).toFixed(1)} bytes/event)` : '';
  process.stderr.write(
    `forkscope record: ${stats.events} events, ${stats.totalBytes} bytes${perEvent}, ${stats.keyframes} keyframes, ` +
      `${(stats.durationMs / 1000).toFixed(1)} s; ${describeLoss(status)} → ${path}\n`,
  );
  return 0;
}
