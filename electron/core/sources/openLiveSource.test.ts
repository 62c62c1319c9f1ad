import { describe, expect, it } from 'vitest';
import { NetlinkUnavailableError } from '../../../native/index';
import { scanProcessesFallback } from '../procfs/scanProcessesFallback';
import { describeNetlinkFailure, openLiveSource } from './openLiveSource';
import type { EventSink } from './EventSource';

const sink: EventSink = { onEvents: () => undefined, onLoss: () => undefined, onError: () => undefined };

describe('openLiveSource', () => {
  it('explains why netlink is unavailable in words a user can act on', () => {
    expect(describeNetlinkFailure(new NetlinkUnavailableError('EPERM', 'bind: EPERM'))).toBe(
      'netlink: EPERM — listening needs CAP_NET_ADMIN on kernels before 6.6',
    );
    expect(describeNetlinkFailure(new NetlinkUnavailableError('NO_ACK', 'timeout'))).toMatch(/namespace/);
    expect(describeNetlinkFailure(new Error('boom'))).toBe('netlink: boom');
  });

  it('opens the forced poll source with the limits of polling in its reason', async () => {
    const source = await openLiveSource(sink, { source: 'poll', pollIntervalMs: 250, scan: scanProcessesFallback });
    try {
      expect(source.kind).toBe('poll');
      expect(source.status().reason).toBe(
        'forced by --source poll; polling /proc every 250 ms: processes that start and end between two polls are invisible, and exit codes are unknown',
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
