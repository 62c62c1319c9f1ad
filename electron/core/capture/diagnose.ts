/**
 * `forkscope doctor`: what full capture needs on this machine, measured one fact at a time, each
 * with its fix. Every verdict comes from trying (opening the connector, running the helper),
 * never from the kernel version, which is shown for information only.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { findInstalledHelper, HELPER_GROUP, joinGroupCommand, setupHelperCommand } from '../../../native/captureHelper';
import { probeReaderPriority, startWatcher, type WatcherInfo } from '../../../native/index';
import { describeHelperFailure, describeNetlinkFailure } from '../sources/openLiveSource';
import { fileCapabilities, groupId, hasHelperCapabilities } from './installHelper';

export interface Fact {
  name: string;
  /** What was found, in a few words. */
  value: string;
  /** 'ok': as full capture wants it; 'limit': works, with a cost; 'no': stands in the way; 'info'. */
  verdict: 'ok' | 'limit' | 'no' | 'info';
  fix?: string;
}

export interface Diagnosis {
  facts: Fact[];
  /** The capture mode Forkscope gets here: "direct netlink", "netlink via the capture helper", "polling /proc". */
  mode: string;
}

/** Capability bits of CapEff in /proc/self/status. */
const CAP_NET_ADMIN = 12;
const CAP_SYS_NICE = 23;

function effectiveCapabilities(): bigint {
  const line = fs.readFileSync('/proc/self/status', 'utf8').split('\n').find((l) => l.startsWith('CapEff:'));
  return line ? BigInt(`0x${line.slice('CapEff:'.length).trim()}`) : 0n;
}

function limit(name: string): string | undefined {
  const line = fs.readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith(name));
  return line?.slice(name.length).trim().split(/\s+/)[0];
}

/** Starts a watcher (directly, or through `helperPath`) and closes it at once. */
async function tryListen(helperPath?: string): Promise<{ ok: true; info: WatcherInfo } | { ok: false; error: unknown }> {
  try {
    const watcher = await startWatcher({ ...(helperPath ? { helperPath } : {}), ackTimeoutMs: 2000 }, () => undefined, () => undefined);
    const info = watcher.info();
    watcher.close();
    return { ok: true, info };
  } catch (error) {
    return { ok: false, error };
  }
}

const listening = (info: WatcherInfo): string => `listening works; reader ${info.priority}; rcvbuf ${info.rcvbufBytes} bytes`;

export async function diagnose(): Promise<Diagnosis> {
  const facts: Fact[] = [];
  const user = os.userInfo();
  facts.push({ name: 'user', value: `${user.username} (uid ${user.uid})`, verdict: 'info' });
  facts.push({ name: 'kernel', value: `${os.release()} (shown only; every verdict below is measured)`, verdict: 'info' });

  const caps = effectiveCapabilities();
  const has = (bit: number): boolean => (caps & (1n << BigInt(bit))) !== 0n;
  facts.push({
    name: 'capabilities of this process',
    value: `cap_net_admin ${has(CAP_NET_ADMIN) ? 'yes' : 'no'}, cap_sys_nice ${has(CAP_SYS_NICE) ? 'yes' : 'no'}`,
    verdict: has(CAP_NET_ADMIN) && has(CAP_SYS_NICE) ? 'ok' : 'info',
  });

  const rmemMax = Number(fs.readFileSync('/proc/sys/net/core/rmem_max', 'utf8').trim());
  // A proc-connector event costs ~830 bytes of receive buffer (skb overhead included): the
  // stock 212992 bytes hold about 256 events, less than a second of a busy build.
  const bigEnough = rmemMax >= 4 << 20;
  facts.push({
    name: 'net.core.rmem_max',
    value: `${rmemMax} bytes (≈ ${Math.floor(rmemMax / 832)} events without SO_RCVBUFFORCE)`,
    verdict: bigEnough ? 'ok' : 'limit',
    ...(bigEnough ? {} : { fix: 'the capture helper forces an 8 MiB buffer regardless; or: sudo sysctl -w net.core.rmem_max=8388608' }),
  });
  const rtprio = limit('Max realtime priority') ?? '?';
  facts.push({
    name: 'RLIMIT_RTPRIO',
    value: rtprio,
    verdict: rtprio === 'unlimited' || Number(rtprio) >= 10 ? 'ok' : 'info',
  });

  const direct = await tryListen();
  facts.push(
    direct.ok
      ? { name: 'proc connector, direct', value: listening(direct.info), verdict: 'ok' }
      : { name: 'proc connector, direct', value: describeNetlinkFailure(direct.error), verdict: 'no' },
  );
  // What this user's reader gets on its own: SCHED_FIFO, RealtimeKit's SCHED_RR, or a nice level.
  const ownPriority = probeReaderPriority();
  const realtime = /^SCHED_(FIFO|RR) /.test(ownPriority);
  facts.push({
    name: 'reader priority without the helper (SCHED_FIFO, RealtimeKit, nice)',
    value: ownPriority,
    verdict: realtime ? 'ok' : 'limit',
    ...(realtime ? {} : { fix: `${setupHelperCommand()} (the helper grants SCHED_FIFO)` }),
  });

  const helperPath = findInstalledHelper();
  let viaHelper: Awaited<ReturnType<typeof tryListen>> | undefined;
  if (!helperPath || !fs.existsSync(helperPath)) {
    const where = helperPath ? ` at ${helperPath}` : '';
    facts.push({ name: 'capture helper', value: `not installed${where}`, verdict: direct.ok ? 'info' : 'no', fix: setupHelperCommand() });
  } else {
    facts.push({ name: 'capture helper', value: `found at ${helperPath}`, verdict: 'ok' });
    const stat = fs.statSync(helperPath);
    const group = groupId(HELPER_GROUP);
    let executable = true;
    try {
      fs.accessSync(helperPath, fs.constants.X_OK);
    } catch {
      executable = false;
    }
    facts.push({
      name: 'capture helper executable by this user',
      value: `${executable ? 'yes' : 'no'} (mode ${(stat.mode & 0o7777).toString(8)}, gid ${stat.gid}${group === stat.gid ? ` = ${HELPER_GROUP}` : ''}; this user's groups: ${process.getgroups?.().join(',') ?? '?'})`,
      verdict: executable ? 'ok' : 'no',
      ...(executable ? {} : { fix: `${joinGroupCommand()}, then log out and in` }),
    });
    let capsText: string;
    try {
      capsText = fileCapabilities(helperPath) || 'none';
    } catch (error) {
      capsText = `unknown (${(error as Error).message})`;
    }
    facts.push({
      name: 'capture helper capabilities',
      value: capsText,
      verdict: hasHelperCapabilities(capsText) ? 'ok' : 'no',
      ...(hasHelperCapabilities(capsText) ? {} : { fix: setupHelperCommand() }),
    });
    if (!direct.ok) {
      viaHelper = await tryListen(helperPath);
      const name = 'proc connector via the helper';
      if (viaHelper.ok) {
        facts.push({ name, value: listening(viaHelper.info), verdict: 'ok' });
      } else {
        const { why, fix } = describeHelperFailure(helperPath, viaHelper.error);
        facts.push({ name, value: why, verdict: 'no', ...(fix ? { fix: fix.command } : {}) });
      }
    }
  }
  const mode = direct.ok ? 'direct netlink' : viaHelper?.ok ? 'netlink via the capture helper' : 'polling /proc (short-lived processes are not seen)';
  return { facts, mode };
}
