/**
 * `forkscope web [FILE] [--port N] [--host H] [--source netlink|poll]`: serve the app over HTTP
 * and a WebSocket — the live machine, or the recording FILE (replayed with its timeline, see core/recording).
 * The page URL (with its token) is the FIRST line on stdout, so scripts and the e2e
 * suite can read it; the command then runs until SIGINT, SIGTERM or SIGHUP and shuts down cleanly.
 */
import { basename } from 'node:path';
import { createEngine, type Engine } from '../../core/engine';
import { RecordingFormatError } from '../../core/recording/format';
import { openRecording, type Recording } from '../../core/recording/Recording';
import { isLoopbackHost } from '../../web/originPolicy';
import { startWebHost } from '../../web/webHost';
import { parseArgs, UsageError } from '../args';
import { parseSourceChoice, watcherOptionsFromEnv } from '../engineOptions';
import { untilStopped } from '../untilStopped';
import type { SourceChoice } from '../../core/sources/openLiveSource';

export interface WebCommandOptions {
  port: number;
  host: string;
  source?: SourceChoice;
  /** A recording to replay instead of the live machine. */
  recording?: string;
}

export function parseWebArgs(argv: readonly string[]): WebCommandOptions {
  const { flags, positionals } = parseArgs(argv, {
    port: { type: 'number', integer: true, min: 0, max: 65535 },
    host: { type: 'string' },
    source: { type: 'string' },
  });
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}'`);
  const source = flags.source === undefined ? undefined : parseSourceChoice(flags.source);
  const host = (flags.host as string | undefined) ?? '127.0.0.1';
  if (host.trim() === '') throw new UsageError("option '--host' needs a host name or address");
  const recording = positionals[0];
  return {
    port: (flags.port as number | undefined) ?? 0,
    host,
    source,
    ...(recording === undefined ? {} : { recording }),
  };
}

export async function runWebCommand(argv: string[], warnings: string[] = []): Promise<number> {
  const options = parseWebArgs(argv);
  const watcher = watcherOptionsFromEnv();
  if (!isLoopbackHost(options.host)) {
    process.stderr.write(
      `forkscope web: warning: listening on ${options.host}, not loopback: anyone who can reach this address and has the URL can see every process and send signals\n`,
    );
  }
  let live: Engine | undefined;
  let recording: { recording: Recording; label: string } | undefined;
  if (options.recording !== undefined) {
    try {
      recording = { recording: openRecording(options.recording), label: basename(options.recording) };
    } catch (error) {
      if (!(error instanceof RecordingFormatError)) throw error;
      process.stderr.write(`forkscope web: ${options.recording}: ${error.message}\n`);
      return 1;
    }
  } else live = await createEngine({ ...(options.source ? { source: options.source } : {}), watcher });
  let host;
  try {
    // A recording is served with the timeline (its replay lives in the host's time machine).
    host = await startWebHost({
      ...(live ? { engine: live } : {}),
      ...(recording ? { recording } : {}),
      port: options.port,
      host: options.host,
      warnings,
    });
  } catch (error) {
    await live?.close();
    process.stderr.write(`forkscope web: ${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`${host.url}\n`);
  await untilStopped();
  await host.close();
  await live?.close();
  return 0;
}
