/**
 * `forkscope doctor [--json]`: what full capture needs here and what stands in the way, one line
 * per measured fact, each with its fix; last, the capture mode that results.
 */
import { diagnose } from '../../core/capture/diagnose';
import { parseArgs, UsageError } from '../args';
import { escapeControl } from '../terminalText';

const MARK = { ok: 'ok  ', limit: 'warn', no: 'no  ', info: '    ' } as const;

export async function runDoctorCommand(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const { facts, mode } = await diagnose();
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ facts, mode })}\n`);
    return 0;
  }
  for (const fact of facts) {
    const fix = fact.fix ? `\n        fix: ${escapeControl(fact.fix)}` : '';
    process.stdout.write(`${MARK[fact.verdict]}  ${fact.name}: ${escapeControl(fact.value)}${fix}\n`);
  }
  process.stdout.write(`capture mode here: ${mode}\n`);
  return 0;
}
