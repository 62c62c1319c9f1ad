/**
 * The small building blocks of a detail pane: a section, a labelled value, a labelled /proc field,
 * a name → value table, a list of code, a captioned sparkline. Each /proc reading is shaped by
 * one of these, so every table, list and "unreadable" mark in the pane looks and escapes alike.
 */
import type { Key, ReactElement, ReactNode } from 'react';
import type { Field } from '../../../electron/common/detail';
import { clippedText, visibleText } from '../text/visibleText';
import { FieldView } from './FieldView';
import { Sparkline } from './Sparkline';

export function Section({ title, children, collapsible }: { title: string; children: ReactNode; collapsible?: boolean }): ReactElement {
  if (collapsible) {
    return (
      <details className="detail-section">
        <summary>{title}</summary>
        {children}
      </details>
    );
  }
  return (
    <div className="detail-section">
      <h3>{title}</h3>
      {children}
    </div>
  );
}

/** One term of a <dl>: the value is untrusted text, shown with control characters visible. */
export function Row({ label, value }: { label: string; value: string }): ReactElement {
  return (
    <>
      <dt>{label}</dt>
      <dd>{visibleText(value)}</dd>
    </>
  );
}

/** One term of a <dl> whose value is a /proc field: its rendering, or why it is unreadable. */
export function FieldRow<T>({ label, field, children }: { label: string; field: Field<T>; children: (value: T) => ReactNode }): ReactElement {
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <FieldView field={field}>{children}</FieldView>
      </dd>
    </>
  );
}

/** A path-like field (exe, cwd, root), shown as code. */
export function PathRow({ label, field }: { label: string; field: Field<string> }): ReactElement {
  return (
    <FieldRow label={label} field={field}>
      {(path) => <code>{visibleText(path)}</code>}
    </FieldRow>
  );
}

export interface KeyValueTableProps<T> {
  items: readonly T[];
  keyOf(item: T, index: number): Key;
  /** The row header (first column). */
  name(item: T): ReactNode;
  /** The remaining cells of the row. */
  cells(item: T): ReactNode[];
  /** Column headings, row header first; none for a plain name → value table. */
  columns?: readonly string[];
}

/** A table of named rows (fds, environment, namespaces, limits). */
export function KeyValueTable<T>({ items, keyOf, name, cells, columns }: KeyValueTableProps<T>): ReactElement {
  return (
    <table className="kv">
      {columns && (
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
          </tr>
        </thead>
      )}
      <tbody>
        {items.map((item, i) => (
          <tr key={keyOf(item, i)}>
            <th scope="row">{name(item)}</th>
            {cells(item).map((cell, c) => (
              <td key={c}>{cell}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Untrusted strings as a list of code, each clipped to `maxChars` (argv, cgroups). */
export function CodeList({ items, ordered, maxChars, className }: { items: readonly string[]; ordered?: boolean; maxChars: number; className?: string }): ReactElement {
  const entries = items.map((item, i) => (
    // Entries are positional (argv[i]) and may repeat: the index is their identity.
    <li key={i}>
      <code>{clippedText(item, maxChars)}</code>
    </li>
  ));
  return ordered ? <ol className={className}>{entries}</ol> : <ul className={className}>{entries}</ul>;
}

/** A sparkline with its current value underneath. */
export function SparkFigure({ values, label, caption }: { values: ReadonlyArray<number | null>; label: string; caption: string }): ReactElement {
  return (
    <figure>
      <Sparkline values={values} label={label} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}
