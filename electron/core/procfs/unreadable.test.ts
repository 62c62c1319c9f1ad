import { describe, expect, it } from 'vitest';
import { fromError } from './unreadable';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

describe('fromError', () => {
  const alive = { pid: 1, state: 'S', owner: 'root' };

  it('says whose file it was when permission is denied', () => {
    expect(fromError(errno('EACCES'), '/proc/1/environ', alive)).toEqual({ ok: false, reason: 'EACCES', message: 'permission denied: /proc/1/environ belongs to root' });
  });

  it('maps ENOENT and ESRCH of a live-looking process to the process being gone', () => {
    expect(fromError(errno('ESRCH'), '/proc/1/environ', alive).reason).toBe('ESRCH');
    expect(fromError(errno('ENOENT'), '/proc/1/exe', alive).reason).toBe('ENOENT');
  });

  it('blames the zombie or kernel thread, not the errno, when that is the cause', () => {
    expect(fromError(errno('ESRCH'), '/proc/9/environ', { pid: 9, state: 'Z' }).reason).toBe('zombie');
    expect(fromError(errno('ENOENT'), '/proc/2/exe', { pid: 2, state: 'S', kernelThread: true }).reason).toBe('kernel-thread');
  });

  it('keeps anything else as an error with its message', () => {
    expect(fromError(errno('EIO'), '/proc/1/io', alive)).toEqual({ ok: false, reason: 'error', message: '/proc/1/io: EIO' });
  });
});
