/**
 * One process's detail pane: everything /proc tells about it, refreshed every second while the
 * pane is open and the process lives, with CPU and memory sparklines; once it has exited, how it
 * died and how long it lived. Every value from the process is untrusted text and is rendered as
 * React text with control characters made visible.
 */
import { memo, useEffect, useState, type ReactElement } from 'react';
import type { ForkscopeBridge } from '../../../electron/common/bridge';
import type { ProcessDetail } from '../../../electron/common/detail';
import type { ProcEvent } from '../../../electron/common/events';
import { parseProcKey, type ExitRecord, type ProcessGroup, type ProcKey } from '../../../electron/common/process';
import { describeProcessKey } from '../model/lineage';
import type { TreeModel } from '../model/TreeModel';
import { describeExit, formatBytes, formatDuration, formatKb } from '../text/format';
import { describeGroup, describeNsPid } from '../text/processGroup';
import { clippedText, visibleText } from '../text/visibleText';
import { CodeList, FieldRow, KeyValueTable, PathRow, Row, Section, SparkFigure } from './detailParts';
import { FieldView } from './FieldView';
import { PidTranslation } from './PidTranslation';
import { appendSample, cpuCaption, type Sample } from './samples';

export const DETAIL_POLL_MS = 1000;

export interface DetailPaneProps {
  procKey: ProcKey;
  model: TreeModel;
  /** Model version: re-renders the pane when its process changes or exits. */
  version: number;
  bridge: ForkscopeBridge;
  pinned: boolean;
  onTogglePin(): void;
  onClose(): void;
  onFocusSubtree(): void;
  onSignal(): void;
  /** Filter the views to the processes of this group. */
  onFilterGroup(group: ProcessGroup): void;
}

export function DetailPane(props: DetailPaneProps): ReactElement {
  const { procKey, model, bridge } = props;
  const identity = parseProcKey(procKey);
  const node = model.get(procKey);
  const exited = node?.exitedAt !== undefined;
  const [detail, setDetail] = useState<ProcessDetail | null>(null);
  const [samples, setSamples] = useState<Sample[]>([]);
  const [error, setError] = useState<string | null>(null);

  const pid = identity?.pid ?? 0;
  const startTime = identity?.startTime ?? 0;
  const alive = detail?.alive ?? true;

  const valid = identity !== null;
  useEffect(() => {
    if (!valid) return;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const next = await bridge.getDetail({ pid, startTime });
        if (cancelled) return;
        setDetail(next);
        setSamples((previous) => appendSample(previous, next));
        setError(null);
        // A dead process does not change any more: one last read (with its exit) is enough.
        if (!next.alive) return;
      } catch (caught) {
        if (cancelled) return;
        setError(caught instanceof Error ? caught.message : String(caught));
      }
      timer = setTimeout(() => void poll(), DETAIL_POLL_MS);
    };
    void poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
    // `exited` restarts polling once when the model says it exited, to fetch how it died.
  }, [bridge, pid, startTime, exited, valid]);

  const info = node?.info;
  const title = `Process ${pid}`;
  const currentExit = detail?.exit ?? info?.exit;
  const currentLived = detail?.lifetimeMs ?? (info && currentExit ? currentExit.at - info.startedAt : undefined);
  // How it ended, as last seen: the host forgets a tombstone after its TTL (5 s) and the model
  // then drops the node, but a pane a person keeps open must not lose how its process died.
  const [lastEnding, setLastEnding] = useState<{ exit: ExitRecord; livedMs: number | undefined } | null>(null);
  useEffect(() => {
    if (currentExit) setLastEnding((last) => ({ exit: currentExit, livedMs: currentLived ?? last?.livedMs }));
  }, [currentExit, currentLived]);
  const exit = currentExit ?? lastEnding?.exit;
  const livedMs = currentLived ?? lastEnding?.livedMs;

  return (
    <section role="region" aria-label={title} className={`detail-pane${exit ? ' exited' : ''}`} data-testid="detail-pane">
      <header className="detail-header">
        <h2>
          {pid} <span className="detail-comm">{visibleText(info?.comm ?? (detail?.comm.ok ? detail.comm.value : ''))}</span>
        </h2>
        <div className="detail-actions">
          <button type="button" onClick={props.onTogglePin} aria-pressed={props.pinned}>
            {props.pinned ? 'Unpin' : 'Pin'}
          </button>
          <button type="button" onClick={props.onFocusSubtree} disabled={!node}>
            Focus subtree
          </button>
          <button type="button" onClick={props.onSignal} disabled={!node || exited}>
            Signal…
          </button>
          <button type="button" onClick={props.onClose} aria-label={`Close process ${pid}`}>
            ×
          </button>
        </div>
      </header>
      {!identity && <p className="error">Not a process key: {visibleText(procKey)}</p>}
      {error && <p className="error">Could not read details: {visibleText(error)}</p>}
      {!alive && <p className="notice">The process is gone; values are from its last reading and its history.</p>}

      {exit && (
        <Section title="How it ended">
          <dl>
            <Row label="Outcome" value={describeExit(exit)} />
            <Row label="Exited at" value={new Date(exit.at).toLocaleString()} />
            <Row
              label="Lived"
              value={formatDuration(livedMs ?? Number.NaN)}
            />
          </dl>
        </Section>
      )}

      <Section title="Identity">
        <dl>
          <Row label="PID" value={String(pid)} />
          <Row label="Key" value={procKey} />
          <Row label="Start time" value={`${startTime} ticks after boot`} />
          {info && <Row label="Started" value={`${new Date(info.startedAt).toLocaleString()} (${formatDuration(Date.now() - info.startedAt)} ago)`} />}
          {info && <Row label="Parent" value={info.parentKey === undefined ? String(info.ppid) : describeProcessKey(model, info.parentKey)} />}
          {info?.forkerKey !== undefined && info.forkerKey !== info.parentKey && (
            <Row label="Forked by" value={describeProcessKey(model, info.forkerKey)} />
          )}
          {info?.inferred && <Row label="Seen" value="inferred by a /proc scan after event loss" />}
          {info?.nsPid && <Row label="Namespaced" value={describeNsPid(info.nsPid)} />}
          {info?.group && (
            <>
              <dt>Group</dt>
              <dd>
                {describeGroup(info.group)}{' '}
                <button type="button" className="link-button" onClick={() => props.onFilterGroup(info.group!)}>
                  show its processes
                </button>
              </dd>
            </>
          )}
          {detail && (
            <>
              <FieldRow label="State" field={detail.stat}>
                {(stat) => `${stat.state} · nice ${stat.nice} · prio ${stat.priority} · CPU ${stat.processor}`}
              </FieldRow>
              <FieldRow label="Wait channel" field={detail.wchan}>
                {(wchan) => visibleText(wchan || '–')}
              </FieldRow>
            </>
          )}
        </dl>
      </Section>

      {info?.nsPid && !exited && <PidTranslation bridge={bridge} pid={pid} startTime={startTime} />}
      {detail && <DetailSections detail={detail} samples={samples} />}
      {!detail && !error && identity && <p className="notice">Reading /proc/{pid}…</p>}
    </section>
  );
}

/**
 * Everything read from /proc. Memoized on the reading: the pane re-renders with every model
 * version (many per second in a storm), the reading changes once per second.
 */
const DetailSections = memo(function DetailSections({ detail, samples }: { detail: ProcessDetail; samples: Sample[] }) {
  return (
    <>
      <Section title="Command">
        <FieldView field={detail.cmdline}>
          {(argv) => (argv.length === 0 ? <p>(empty)</p> : <CodeList items={argv} ordered maxChars={8192} className="argv" />)}
        </FieldView>
        <dl>
          <PathRow label="exe" field={detail.exe} />
          <PathRow label="cwd" field={detail.cwd} />
          <PathRow label="root" field={detail.root} />
        </dl>
      </Section>

      <Section title="CPU and memory">
        <div className="sparklines">
          <SparkFigure values={samples.map((s) => s.cpuPct)} label="CPU % over time" caption={cpuCaption(samples)} />
          <SparkFigure
            values={samples.map((s) => s.rssKb)}
            label="Resident memory over time"
            caption={`RSS ${formatKb(samples[samples.length - 1]?.rssKb ?? undefined)}`}
          />
        </div>
        <FieldView field={detail.smapsRollup}>
          {(rollup) => (
            <p>
              PSS {formatKb(rollup.Pss)} · swap {formatKb(rollup.Swap)}
            </p>
          )}
        </FieldView>
        <FieldView field={detail.schedstat}>
          {(sched) => (
            <p>
              on CPU {formatDuration(sched.runNs / 1e6)} · waiting {formatDuration(sched.waitNs / 1e6)} · {sched.timeslices}{' '}
              timeslices
            </p>
          )}
        </FieldView>
      </Section>

      <Section title="User and threads">
        <FieldView field={detail.status}>
          {(status) => (
            <dl>
              <Row label="User" value={`${detail.user ?? status.uids[0]} (uid ${status.uids.join('/')})`} />
              <Row label="Groups" value={`gid ${status.gids.join('/')} · groups ${status.groups.join(', ') || '–'}`} />
              <Row label="Threads" value={String(status.threads)} />
              <Row
                label="Context switches"
                value={`${status.voluntaryCtxtSwitches ?? '–'} voluntary, ${status.nonvoluntaryCtxtSwitches ?? '–'} involuntary`}
              />
              <Row label="NSpid" value={status.nspid.join(' → ')} />
              <Row label="Tracer" value={status.tracerPid ? String(status.tracerPid) : 'none'} />
              <Row label="Capabilities" value={`eff ${status.capEff ?? '–'} · prm ${status.capPrm ?? '–'}`} />
              <Row label="OOM" value={`score ${detail.oomScore.ok ? detail.oomScore.value : '–'}, adj ${detail.oomScoreAdj.ok ? detail.oomScoreAdj.value : '–'}`} />
            </dl>
          )}
        </FieldView>
        {detail.threadNames && (
          <>
            <p>Threads that named themselves</p>
            <KeyValueTable
              items={detail.threadNames}
              keyOf={(thread) => thread.tid}
              name={(thread) => thread.tid}
              cells={(thread) => [<code key="name">{visibleText(thread.name)}</code>]}
            />
          </>
        )}
      </Section>

      <Section title="Open files" collapsible>
        <FieldView field={detail.fds}>
          {(fds) => (
            <>
              <p>
                {fds.count} open{fds.truncated ? `, first ${fds.entries.length} shown` : ''}
              </p>
              <KeyValueTable
                items={fds.entries}
                keyOf={(fd) => fd.fd}
                name={(fd) => fd.fd}
                cells={(fd) => [<code key="target">{visibleText(fd.target)}</code>]}
              />
            </>
          )}
        </FieldView>
      </Section>

      <Section title="Environment" collapsible>
        <FieldView field={detail.environ}>
          {(env) => (
            <KeyValueTable
              items={env}
              keyOf={(_entry, i) => i}
              name={(entry) => clippedText(entry.name, 200)}
              cells={(entry) => [<code key="value">{clippedText(entry.value, 2000)}</code>]}
            />
          )}
        </FieldView>
      </Section>

      <Section title="Cgroup and namespaces" collapsible>
        <FieldView field={detail.cgroup}>
          {(groups) => <CodeList items={groups.map((group) => `${group.hierarchy}:${group.controllers}:${group.path}`)} maxChars={4096} />}
        </FieldView>
        <FieldView field={detail.namespaces}>
          {(namespaces) => (
            <KeyValueTable items={namespaces} keyOf={(ns) => ns.type} name={(ns) => ns.type} cells={(ns) => [visibleText(ns.target)]} />
          )}
        </FieldView>
      </Section>

      <Section title="Limits" collapsible>
        <FieldView field={detail.limits}>
          {(limits) => (
            <KeyValueTable
              items={limits}
              columns={['Limit', 'Soft', 'Hard']}
              keyOf={(limit) => limit.name}
              name={(limit) => limit.name}
              cells={(limit) => [limit.soft, `${limit.hard} ${limit.units}`]}
            />
          )}
        </FieldView>
      </Section>

      <Section title="I/O" collapsible>
        <FieldView field={detail.io}>
          {(io) => (
            <dl>
              <Row label="Read" value={`${formatBytes(io.readBytes)} from disk, ${formatBytes(io.rchar)} total, ${io.syscr} calls`} />
              <Row label="Written" value={`${formatBytes(io.writeBytes)} to disk, ${formatBytes(io.wchar)} total, ${io.syscw} calls`} />
              <Row label="Cancelled writes" value={formatBytes(io.cancelledWriteBytes)} />
            </dl>
          )}
        </FieldView>
      </Section>

      <Section title="Event history" collapsible>
        <History events={detail.history} />
      </Section>
    </>
  );
});

function History({ events }: { events: ProcEvent[] }) {
  if (events.length === 0) return <p>No events recorded for this process.</p>;
  return (
    <ol className="history">
      {events.map((event, i) => (
        <li key={i}>
          <time>{new Date(event.ts).toLocaleTimeString()}</time> {event.kind}
          {event.argv ? <code> {clippedText(event.argv.join(' '), 500)}</code> : null}
          {event.kind === 'exit' ? ` ${describeExit(event)}` : null}
          {event.origin && event.origin !== 'netlink' ? ` (${event.origin})` : null}
        </li>
      ))}
    </ol>
  );
}
