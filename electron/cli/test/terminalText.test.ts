import { describe, expect, it } from 'vitest';
import { escapeControl, formatArgv } from '../terminalText';
import { formatEventLine } from '../eventLine';

describe('terminal text', () => {
  it('makes every control character visible so process data cannot drive the terminal', () => {
    const hostile = 'a\u001b[2Jb\nc\u0007d\u009be\u007f';
    const escaped = escapeControl(hostile);
    expect(escaped).toBe('a\\x1b[2Jb\\nc\\x07d\\x9be\\x7f');
    // eslint-disable-next-line no-control-regex -- asserting no control character survives
    expect(escaped).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('quotes arguments with spaces or quotes and keeps boundaries visible', () => {
    expect(formatArgv(['sh', '-c', 'exit 3', ''])).toBe('sh -c "exit 3" ""');
  });

  it('cuts very long argv with an ellipsis', () => {
    const text = formatArgv(['x'.repeat(5000)], 100);
    expect(text).toHaveLength(100);
    expect(text.endsWith('…')).toBe(true);
  });

  it('prints an exit line with its signal, duration and remembered command', () => {
    const line = formatEventLine(
      { kind: 'exit', ts: 1_700_000_000_250, pid: 42, ppid: 7, signal: 'SIGSEGV', core: true },
      { startedAt: 1_700_000_000_000, command: 'crashy --now' },
    );
    expect(line).toMatch(/exit\s+42\s+7 SIGSEGV\+core\s+250\.0ms crashy --now$/);
  });

  it('shows a hostile comm escaped, between brackets', () => {
    const line = formatEventLine({ kind: 'fork', ts: 0, pid: 5, ppid: 1, comm: 'x\u001b]0;pwned\u0007' }, undefined);
    expect(line).toContain('[x\\x1b]0;pwned\\x07]');
  });
});
