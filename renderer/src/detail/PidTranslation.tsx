/**
 * "Which process is pid N inside this one's PID namespace?" — for a namespaced process (a
 * container's), whose logs and `ps` speak of pids we do not see as such. One detail request with
 * translatePid; the answer is our pid, or that no process has that pid there.
 */
import { useState, type FormEvent, type ReactElement } from 'react';
import type { ForkscopeBridge } from '../../../electron/common/bridge';

export interface PidTranslationProps {
  bridge: ForkscopeBridge;
  pid: number;
  startTime: number;
}

export function PidTranslation({ bridge, pid, startTime }: PidTranslationProps): ReactElement {
  const [text, setText] = useState('');
  const [answer, setAnswer] = useState<string | null>(null);

  const ask = async (event: FormEvent) => {
    event.preventDefault();
    const inner = Number(text.trim());
    if (!Number.isSafeInteger(inner) || inner < 1) {
      setAnswer('Not a pid.');
      return;
    }
    try {
      const { translated } = await bridge.getDetail({ pid, startTime, translatePid: inner });
      if (!translated) setAnswer('This view cannot look into namespaces (a recording).');
      else if (translated.hostPid === null) setAnswer(`No process has pid ${inner} in this namespace.`);
      else setAnswer(`pid ${inner} in this namespace is pid ${translated.hostPid} here.`);
    } catch (caught) {
      setAnswer(`Could not ask: ${caught instanceof Error ? caught.message : String(caught)}`);
    }
  };

  return (
    <form className="pid-translation" onSubmit={(event) => void ask(event)}>
      <label>
        Find pid{' '}
        <input
          type="text"
          inputMode="numeric"
          size={7}
          aria-label="pid inside this namespace"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />{' '}
        of this namespace
      </label>{' '}
      <button type="submit">Find</button>
      {answer && (
        <span className="pid-translation-answer" role="status" data-testid="pid-translation">
          {' '}
          {answer}
        </span>
      )}
    </form>
  );
}
