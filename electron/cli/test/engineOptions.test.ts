/**
 * The source choice, parsed once in core for every host: 'auto' is accepted everywhere (the
 * desktop app's FORKSCOPE_SOURCE as well as `--source`), anything else is refused by name; the
 * CLI turns the refusal into a usage error (exit 2).
 */
import { describe, expect, it } from 'vitest';
import { parseSourceChoice as parseSource } from '../../core/sources/openLiveSource';
import { UsageError } from '../args';
import { parseSourceChoice } from '../engineOptions';

describe('parseSourceChoice (core)', () => {
  it('accepts auto, netlink and poll, and defaults to auto', () => {
    expect(parseSource(undefined)).toBe('auto');
    for (const choice of ['auto', 'netlink', 'poll'] as const) expect(parseSource(choice, 'FORKSCOPE_SOURCE')).toBe(choice);
  });

  it('refuses anything else with a plain Error naming the setting and the choices', () => {
    for (const value of ['', 'Poll', 'carrier-pigeon', 1, null]) {
      expect(() => parseSource(value, 'FORKSCOPE_SOURCE')).toThrow(`FORKSCOPE_SOURCE must be one of netlink, poll, auto; got '${String(value)}'`);
      expect(() => parseSource(value)).not.toThrow(UsageError);
    }
    expect(() => parseSource('x')).toThrow("--source must be one of netlink, poll, auto; got 'x'");
  });
});

describe('parseSourceChoice (CLI)', () => {
  it('passes good values through and makes a bad one a usage error with the same message', () => {
    expect(parseSourceChoice('auto')).toBe('auto');
    expect(parseSourceChoice(undefined)).toBe('auto');
    expect(() => parseSourceChoice('carrier-pigeon')).toThrow(UsageError);
    expect(() => parseSourceChoice('carrier-pigeon')).toThrow("--source must be one of netlink, poll, auto; got 'carrier-pigeon'");
  });
});
