import { describe, expect, it } from 'vitest';
import { watcherDebugOptionsFromEnv } from './watcherDebugEnv';

describe('watcherDebugOptionsFromEnv', () => {
  it('reads both knobs', () => {
    expect(watcherDebugOptionsFromEnv({ FORKSCOPE_RCVBUF: '4096', FORKSCOPE_DEBUG_STALL_US: '2000' })).toEqual({ rcvbufBytes: 4096, debugStallUs: 2000 });
  });

  it('leaves unset and empty knobs out', () => {
    expect(watcherDebugOptionsFromEnv({ FORKSCOPE_RCVBUF: '', PATH: '/bin' })).toEqual({});
  });

  it.each(['-1', '4k', '1e3', '2.5', '100', '99999999999'])('refuses %s clearly', (bad) => {
    expect(() => watcherDebugOptionsFromEnv({ FORKSCOPE_RCVBUF: bad })).toThrow(/FORKSCOPE_RCVBUF must be a whole number from 1024/);
  });

  it('refuses a stall the native watcher would not accept', () => {
    expect(() => watcherDebugOptionsFromEnv({ FORKSCOPE_DEBUG_STALL_US: '2000000' })).toThrow(/FORKSCOPE_DEBUG_STALL_US must be a whole number from 0 to 1000000/);
  });
});
