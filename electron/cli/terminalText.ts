/**
 * Process data is hostile: comm and argv may hold any byte, including terminal escape sequences
 * that would repaint or hijack the user's terminal. Everything printed in text mode goes through
 * here: control characters (C0, DEL, C1) become visible escapes, and long text is cut.
 */

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => {
    switch (c) {
      case '\n':
        return '\\n';
      case '\t':
        return '\\t';
      case '\r':
        return '\\r';
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
}

/** Join argv for display: arguments with spaces are quoted so boundaries stay visible. */
export function formatArgv(argv: readonly string[], maxChars = 400): string {
  const text = argv.map((a) => (a === '' || /[\s'"\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
  const escaped = escapeControl(text);
  return escaped.length > maxChars ? `${escaped.slice(0, maxChars - 1)}…` : escaped;
}
