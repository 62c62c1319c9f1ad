import { describe, expect, it } from 'vitest';
import { UsageError } from '../args';
import { parseWebArgs } from './web';

describe('forkscope web arguments', () => {
  it('defaults to loopback on a free port with the automatic source', () => {
    expect(parseWebArgs([])).toEqual({ port: 0, host: '127.0.0.1', source: undefined });
  });

  it('takes a port, a host and a source', () => {
    expect(parseWebArgs(['--port', '8080', '--host=::1', '--source', 'poll'])).toEqual({ port: 8080, host: '::1', source: 'poll' });
  });

  it('takes a recording to replay', () => {
    expect(parseWebArgs(['storm.fsrec', '--port', '0'])).toEqual({ port: 0, host: '127.0.0.1', source: undefined, recording: 'storm.fsrec' });
  });

  it.each([
    [['--port', '70000'], /at most 65535/],
    [['--port', 'x'], /needs a number/],
    [['--port', '1.5'], /whole number/],
    [['--source', 'kernel'], /must be one of netlink, poll/],
    [['--host', ''], /needs a host/],
    [['--bind', '0.0.0.0'], /unknown option '--bind'/],
    [['a.fsrec', 'extra'], /unexpected argument 'extra'/],
  ])('refuses %j with a clear message', (argv, message) => {
    expect(() => parseWebArgs(argv)).toThrow(UsageError);
    expect(() => parseWebArgs(argv)).toThrow(message);
  });
});
