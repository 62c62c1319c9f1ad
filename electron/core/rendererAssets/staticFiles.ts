/**
 * Resolving request paths to files of the built renderer, safely: no escape from the static
 * directory by `..`, encoded separators, NUL bytes or symlinks, and a content type for each file.
 * Used by both hosts: the web host and Electron's forkscope:// scheme.
 */
import { realpath, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function contentTypeFor(filePath: string): string {
  return CONTENT_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

export type Resolution = { kind: 'file'; path: string; size: number } | { kind: 'not-found' } | { kind: 'forbidden' };

/**
 * Map a URL pathname ("/assets/app.js") to a regular file inside `root` (an absolute, real path).
 * "/" maps to index.html. Anything that would leave `root` is "forbidden"; directories and
 * missing files are "not-found".
 */
export async function resolveStaticFile(root: string, pathname: string): Promise<Resolution> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return { kind: 'forbidden' };
  }
  // Encoded backslashes and NULs have no business in a renderer asset path.
  if (decoded.includes('\0') || decoded.includes('\\') || !decoded.startsWith('/')) return { kind: 'forbidden' };
  const relative = decoded === '/' ? 'index.html' : decoded.slice(1);
  const candidate = resolve(root, relative);
  if (!isInside(root, candidate)) return { kind: 'forbidden' };
  let real: string;
  try {
    real = await realpath(candidate);
  } catch {
    return { kind: 'not-found' };
  }
  // A symlink inside the build output must not lead outside it either.
  if (!isInside(root, real)) return { kind: 'forbidden' };
  const info = await stat(real);
  if (!info.isFile()) return { kind: 'not-found' };
  return { kind: 'file', path: real, size: info.size };
}

function isInside(root: string, candidate: string): boolean {
  return candidate.startsWith(root.endsWith(sep) ? root : root + sep);
}
