/**
 * uid → user name from /etc/passwd, read asynchronously, cached, and re-read when the file's
 * mtime changes (useradd while the app runs). Unknown uids are shown as their number.
 */
import { readFile, stat } from 'node:fs/promises';

export interface UserNames {
  /** The cached name for uid, or the uid as text. Synchronous: call refresh() to update. */
  name(uid: number): string;
  /** Re-reads the passwd file if its mtime changed since the last read. */
  refresh(): Promise<void>;
}

/** "name:x:uid:gid:gecos:home:shell" lines → uid → name (the first line for a uid wins, as in getpwuid). */
export function parsePasswd(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const [name, , uidText] = line.split(':');
    const uid = Number(uidText);
    if (!name || uidText === undefined || uidText === '' || !Number.isInteger(uid) || names.has(uid)) continue;
    names.set(uid, name);
  }
  return names;
}

export function createUserNames(passwdPath = '/etc/passwd'): UserNames {
  let names = new Map<number, string>();
  let readMtimeMs: number | undefined;
  let pending: Promise<void> | undefined;

  async function reload(): Promise<void> {
    try {
      const info = await stat(passwdPath);
      if (info.mtimeMs === readMtimeMs) return;
      const text = await readFile(passwdPath, 'utf8');
      names = parsePasswd(text);
      readMtimeMs = info.mtimeMs;
    } catch {
      // No passwd file (minimal containers): every user is shown by uid, which is still correct.
      names = new Map();
      readMtimeMs = undefined;
    }
  }

  return {
    name: (uid) => names.get(uid) ?? String(uid),
    refresh() {
      // Concurrent callers share one read.
      pending ??= reload().finally(() => {
        pending = undefined;
      });
      return pending;
    },
  };
}
