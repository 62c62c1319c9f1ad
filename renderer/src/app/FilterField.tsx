import { useId, type ReactElement } from 'react';
import { visibleText } from '../text/visibleText';

export interface FilterFieldProps {
  text: string;
  regex: boolean;
  error: string | null;
  matchCount: number | null;
  onChange(text: string, regex: boolean): void;
}

/** The search box: text or /regex/; a bad regex is reported next to it and filters nothing. */
export function FilterField({ text, regex, error, matchCount, onChange }: FilterFieldProps): ReactElement {
  const errorId = useId();
  return (
    <div className="filter-field" role="search">
      <input
        type="search"
        aria-label="Filter"
        placeholder="Filter: name, argv, user, pid or /regex/"
        value={text}
        aria-invalid={error !== null}
        aria-describedby={error ? errorId : undefined}
        onChange={(event) => onChange(event.target.value, regex)}
        spellCheck={false}
      />
      <label className="regex-toggle">
        <input type="checkbox" checked={regex} onChange={(event) => onChange(text, event.target.checked)} />
        regex
      </label>
      {error ? (
        <span id={errorId} className="filter-error" role="alert" data-testid="filter-error">
          {visibleText(error)}
        </span>
      ) : matchCount !== null ? (
        <span className="filter-count" data-testid="filter-count">
          {matchCount} match{matchCount === 1 ? '' : 'es'}
        </span>
      ) : null}
    </div>
  );
}
