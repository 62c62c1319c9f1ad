import type { ReactElement, ReactNode } from 'react';
import type { Field } from '../../../electron/common/detail';
import { visibleText } from '../text/visibleText';

/** "unreadable: EACCES — permission denied", the one wording every unreadable field uses. */
export function unreadableText(field: { reason: string; message: string }): string {
  return `unreadable: ${field.reason} — ${visibleText(field.message)}`;
}

/** Render a field's value, or say why it could not be read. */
export function FieldView<T>({ field, children }: { field: Field<T>; children: (value: T) => ReactNode }): ReactElement {
  if (!field.ok) return <span className="unreadable">{unreadableText(field)}</span>;
  return <>{children(field.value)}</>;
}
