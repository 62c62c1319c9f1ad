import { describe, expect, it } from 'vitest';
import { clippedText, commandLine, visibleText } from './visibleText';
import { describeExit, formatDuration, formatKb } from './format';

describe('visibleText', () => {
  it('shows control characters as escapes and leaves other text alone', () => {
    expect(visibleText('a\nb\tc\u001b[31m\u007f\r')).toBe('a\\nb\\tc\\x1b[31m\\x7f\\r');
    expect(visibleText('<img src=x onerror=alert(1)> ü 日本')).toBe('<img src=x onerror=alert(1)> ü 日本');
    expect(visibleText('\u0000\u0001')).toBe('\\0\\x01');
    // C1 controls, and bidi overrides/isolates that would make an argv read backwards.
    expect(visibleText('a\u0085b\u202egnp.exe\u2066')).toBe('a\\x85b\\u202egnp.exe\\u2066');
  });

  it('clips long text and says how much was cut', () => {
    expect(clippedText('x'.repeat(10), 4)).toBe('xxxx… (+6 chars)');
    expect(clippedText('short', 10)).toBe('short');
  });

  it('joins argv, or shows [comm] when argv is unknown or empty', () => {
    expect(commandLine(['sh', '-c', 'echo a\nb'], 'sh')).toBe('sh -c echo a\\nb');
    expect(commandLine(null, 'kworker/0:1')).toBe('[kworker/0:1]');
    expect(commandLine([], 'a) b')).toBe('[a) b]');
    expect(commandLine(['y'.repeat(50)], 'y', 10)).toBe('yyyyyyyyyy… (+40 chars)');
  });
});

describe('format', () => {
  it('formats sizes, durations and exits for people', () => {
    expect(formatKb(512)).toBe('512 K');
    expect(formatKb(2048)).toBe('2.0 M');
    expect(formatKb(undefined)).toBe('–');
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(245_000)).toBe('4m05s');
    expect(formatDuration(-1)).toBe('–');
    expect(describeExit({ code: 3 })).toBe('exit 3');
    expect(describeExit({ signal: 'SIGSEGV', core: true })).toBe('killed by SIGSEGV (core dumped)');
  });
});
