import { describe, expect, it } from 'vitest';
import { NetlinkUnavailableError } from '../../../native/index';
import { scanProcessesFallback } from '../procfs/scanProcessesFallback';
import { describeHelperFailure, describeNetlinkFailure, openLiveSource } from './openLiveSource';
import type { EventSink } from './EventSource';

const sink: EventSink = { onEvents: () => undefined, onLoss: () => undefined, onError: () => undefined };

describe('openLiveSource', () => {
  it('explains why netlink is unavailable in words a user can act on', () => {
    // The measured refusal, never a guess from the kernel version.
    expect(describeNetlinkFailure(new NetlinkUnavailableError('EPERM', 'bind: EPERM'))).toBe(
      'netlink: EPERM — this kernel lets only CAP_NET_ADMIN listen to the proc connector',
    );
    expect(describeNetlinkFailure(new NetlinkUnavailableError('NO_ACK', 'timeout'))).toMatch(/namespace/);
    expect(describeNetlinkFailure(new Error('boom'))).toBe('netlink: boom');
  });

  it('names what fixes each helper failure: install it, join its group, or nothing inside a namespace', () => {
    const missing = describeHelperFailure(undefined, undefined);
    expect(missing.why).toBe('capture helper: not installed');
    expect(missing.fix?.command).toMatch(/^sudo .*setup-helper$/);
    const locked = describeHelperFailure('/usr/lib/forkscope/forkscope-helper', new NetlinkUnavailableError('EACCES', 'cannot run it'));
    expect(locked.why).toMatch(/EACCES — \/usr\/lib\/forkscope\/forkscope-helper is not executable by this user/);
    expect(locked.fix?.command).toMatch(/^sudo usermod -aG forkscope \S+$/);
    const bare = describeHelperFailure('/h', new NetlinkUnavailableError('EPERM', 'bind: Operation not permitted'));
    expect(bare.why).toMatch(/runs without its capabilities/);
    expect(bare.fix?.command).toMatch(/setup-helper$/);
    const namespaced = describeHelperFailure('/h', new NetlinkUnavailableError('ETIMEDOUT', 'ack: timed out'));
    expect(namespaced.why).toMatch(/namespace/);
    expect(namespaced.fix).toBeUndefined();
  });

  it('opens the forced poll source with the limits of polling in its reason', async () => {
    const source = await openLiveSource(sink, { source: 'poll', pollIntervalMs: 250, scan: scanProcessesFallback });
    try {
      expect(source.kind).toBe('poll');
      expect(source.status().reason).toBe(
        'forced by --source poll; polling /proc every 250 ms: short-lived processes (those that start and end between two polls) ' +
          'are not seen, exit codes are unknown, and what is missed is not counted',
      );
    } finally {
      await source.stop();
    }
  });

  it('opens netlink by default here, reporting the reader priority and granted buffer', async () => {
    const source = await openLiveSource(sink, { scan: scanProcessesFallback });
    try {
      expect(source.kind).toBe('netlink');
      const status = source.status();
      expect(status.priority).toMatch(/\S/);
      expect(status.rcvbufBytes).toBeGreaterThan(0);
    } finally {
      await source.stop();
    }
  });
});
