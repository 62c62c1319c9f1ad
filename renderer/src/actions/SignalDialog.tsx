/**
 * Confirmation before a signal leaves the UI. The request carries the process's start time, so
 * the host refuses it if the pid has been recycled; per-pid outcomes (EPERM, ESRCH, recycled)
 * are listed, because a subtree signal can partly fail.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { ForkscopeBridge } from '../../../electron/common/bridge';
import type { ProcessInfo } from '../../../electron/common/process';
import { ALLOWED_SIGNALS, type AllowedSignal, type SignalOutcome } from '../../../electron/common/signals';
import { commandLine, visibleText } from '../text/visibleText';

const MEANING: Record<AllowedSignal, string> = {
  SIGTERM: 'ask it to terminate',
  SIGKILL: 'kill it at once (cannot be caught)',
  SIGSTOP: 'freeze it',
  SIGCONT: 'resume it if stopped',
};

export interface SignalDialogProps {
  target: ProcessInfo;
  initialSignal: AllowedSignal;
  /** Descendants currently known (for "whole subtree (N processes)"). */
  descendantCount: number;
  bridge: ForkscopeBridge;
  onClose(): void;
}

type Phase = { kind: 'confirm' } | { kind: 'sending' } | { kind: 'done'; outcomes: SignalOutcome[] } | { kind: 'failed'; error: string };

export function SignalDialog({ target, initialSignal, descendantCount, bridge, onClose }: SignalDialogProps): ReactElement {
  const dialogRef = useRef<HTMLDialogElement>(null);
  const [signal, setSignal] = useState<AllowedSignal>(initialSignal);
  const [subtree, setSubtree] = useState(false);
  const [phase, setPhase] = useState<Phase>({ kind: 'confirm' });

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);

  const send = async () => {
    setPhase({ kind: 'sending' });
    try {
      const result = await bridge.sendSignal({ pid: target.pid, startTime: target.startTime, signal, subtree });
      setPhase({ kind: 'done', outcomes: result.outcomes });
    } catch (error) {
      setPhase({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  };

  const failures = phase.kind === 'done' ? phase.outcomes.filter((o) => !o.ok) : [];
  return (
    <dialog ref={dialogRef} className="signal-dialog" aria-labelledby="signal-dialog-title" onClose={onClose} data-testid="signal-dialog">
      <h2 id="signal-dialog-title">
        Signal process {target.pid}
      </h2>
      <p className="signal-target">
        <code>{commandLine(target.argv, target.comm, 300)}</code> (user {visibleText(target.user)})
      </p>
      {phase.kind === 'confirm' || phase.kind === 'sending' ? (
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            void send();
          }}
        >
          <fieldset>
            <legend>Signal</legend>
            {ALLOWED_SIGNALS.map((name) => (
              <label key={name} className="signal-choice">
                <input type="radio" name="signal" value={name} checked={signal === name} onChange={() => setSignal(name)} />
                {name} — {MEANING[name]}
              </label>
            ))}
          </fieldset>
          <label>
            <input type="checkbox" checked={subtree} onChange={(event) => setSubtree(event.target.checked)} />
            Whole subtree ({descendantCount} descendant{descendantCount === 1 ? '' : 's'} now)
          </label>
          <div className="dialog-buttons">
            <button type="button" onClick={() => dialogRef.current?.close()}>
              Cancel
            </button>
            <button type="submit" className={signal === 'SIGKILL' ? 'danger' : undefined} disabled={phase.kind === 'sending'} autoFocus>
              Send {signal}
            </button>
          </div>
        </form>
      ) : (
        <div role="status">
          {phase.kind === 'failed' ? (
            <p className="error">Not sent: {visibleText(phase.error)}</p>
          ) : (
            <>
              <p>
                {signal} delivered to {phase.outcomes.length - failures.length} of {phase.outcomes.length} process
                {phase.outcomes.length === 1 ? '' : 'es'}.
              </p>
              {failures.length > 0 && (
                <ul className="signal-failures" data-testid="signal-failures">
                  {failures.map((outcome) => (
                    <li key={outcome.pid}>
                      {outcome.pid}: {outcome.error ?? 'failed'}
                      {outcome.message ? ` — ${visibleText(outcome.message)}` : ''}
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
          <div className="dialog-buttons">
            <button type="button" onClick={() => dialogRef.current?.close()} autoFocus>
              Close
            </button>
          </div>
        </div>
      )}
    </dialog>
  );
}
