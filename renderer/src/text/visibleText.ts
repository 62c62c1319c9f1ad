/**
 * Process data (comm, argv, environ, paths) is untrusted bytes. It is rendered only as React text
 * nodes, and control characters are made visible so that a newline or escape in a command line
 * cannot disguise what a process is (e.g. an argv that "looks like" two lines).
 */

const ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

/**
 * C0/C1 control characters → C-style escapes (\n, \t, \x1b, \x7f, \x85), and the bidi
 * embedding/override/isolate characters, which would reorder the text around them (an argv that
 * reads backwards), → \u202e; everything else unchanged. Escapes rather than Unicode control
 * pictures (␊) because common monospace fonts lack those glyphs and show an empty box, which
 * hides which character it was.
 */
export function visibleText(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, escapeOne);
}

function escapeOne(ch: string): string {
  const code = ch.charCodeAt(0);
  return ESCAPES[ch] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`);
}

/** visibleText, cut to `max` characters with an ellipsis that says how much was cut. */
export function clippedText(text: string, max: number): string {
  const shown = visibleText(text);
  if (shown.length <= max) return shown;
  return `${shown.slice(0, max)}… (+${shown.length - max} chars)`;
}

/**
 * A command line for display: argv joined by spaces (cut at `max` characters: argv can be
 * megabytes), or [comm] when argv is unknown (kernel thread, zombie, gone before it was read).
 */
export function commandLine(argv: string[] | null, comm: string, max = 4096): string {
  if (argv && argv.length > 0) return clippedText(argv.join(' '), max);
  return `[${visibleText(comm)}]`;
}
