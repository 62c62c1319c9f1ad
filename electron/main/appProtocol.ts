/**
 * The renderer is loaded from a private, privileged `forkscope://app/` scheme rather than file://
 * (Electron security checklist: "avoid file://"). A file:// page may read any local file through
 * fetch/XHR and every file:// page shares one origin; our scheme serves only the built renderer
 * directory, gives the page a real origin of its own for CSP 'self', and lets us attach the CSP
 * and nosniff headers to every response, as the web host does.
 */
import { protocol } from 'electron';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cspHeaderFor } from '../core/rendererAssets/contentSecurityPolicy';
import { contentTypeFor, resolveStaticFile } from '../core/rendererAssets/staticFiles';

export const APP_SCHEME = 'forkscope';
export const APP_ORIGIN = `${APP_SCHEME}://app`;
export const APP_PAGE_URL = `${APP_ORIGIN}/index.html`;

/**
 * Whether `url` is of our origin (forkscope://app, no port). Compared by scheme and host, not by
 * `URL.origin`: the main process parses with Node's WHATWG URL, which knows nothing of schemes
 * registered as standard with Chromium and gives every custom scheme the opaque origin "null".
 */
export function isAppUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === 'app';
  } catch {
    return false;
  }
}

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serve `rendererDir` (an absolute, real path) under forkscope://app/. Call once the app is ready. */
export async function serveRenderer(rendererDir: string): Promise<void> {
  const indexHtml = await readFile(join(rendererDir, 'index.html'), 'utf8');
  const csp = cspHeaderFor(indexHtml);
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const text = (status: number, body: string): Response =>
      new Response(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' } });
    if (url.host !== 'app') return text(404, 'not found');
    if (request.method !== 'GET') return text(405, 'method not allowed');
    const resolved = await resolveStaticFile(rendererDir, url.pathname);
    if (resolved.kind === 'forbidden') return text(403, 'forbidden');
    if (resolved.kind === 'not-found') return text(404, 'not found');
    return new Response(await readFile(resolved.path), {
      headers: {
        'Content-Type': contentTypeFor(resolved.path),
        'Content-Security-Policy': csp,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-cache',
      },
    });
  });
}
