import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../args';

const spec = {
  json: { type: 'boolean' },
  duration: { type: 'number', min: 0 },
  pid: { type: 'number', integer: true, min: 1 },
  kinds: { type: 'string' },
} as const;

describe('parseArgs', () => {
  it('parses booleans, numbers, strings in both --a b and --a=b forms', () => {
    const { flags, positionals } = parseArgs(['--json', '--duration', '2.5', '--pid=42', '--kinds', 'fork,exit', 'x'], spec);
    expect(flags).toEqual({ json: true, duration: 2.5, pid: 42, kinds: 'fork,exit' });
    expect(positionals).toEqual(['x']);
  });

  it.each([
    [['--nope'], /unknown option '--nope'/],
    [['-x'], /unknown option '-x'/],
    [['--duration'], /needs a value/],
    [['--duration', '--json'], /needs a value/],
    [['--duration', 'soon'], /needs a number/],
    [['--duration', '-1'], /at least 0/],
    [['--pid', '1.5'], /whole number/],
    [['--pid', '0'], /at least 1/],
    [['--json=yes'], /takes no value/],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseArgs(argv, spec)).toThrow(UsageError);
    expect(() => parseArgs(argv, spec)).toThrow(message);
  });
});
