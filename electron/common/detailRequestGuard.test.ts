import { describe, expect, it } from 'vitest';
import { checkDetailRequest, GuardError } from './guards';

describe('checkDetailRequest', () => {
  it('passes a pid to translate in the process namespace, and nothing else', () => {
    expect(checkDetailRequest({ pid: 10, startTime: 5, translatePid: 2, extra: 'x' })).toEqual({ pid: 10, startTime: 5, translatePid: 2 });
    expect(checkDetailRequest({ pid: 10, startTime: 5 })).toEqual({ pid: 10, startTime: 5 });
  });

  it('refuses a translatePid that is not a pid', () => {
    for (const translatePid of [0, -1, 1.5, '2', 2 ** 40, null]) {
      expect(() => checkDetailRequest({ pid: 10, startTime: 5, translatePid })).toThrow(GuardError);
    }
  });
});
