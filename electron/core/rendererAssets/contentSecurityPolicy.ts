/**
 * Both hosts (the web host, and Electron's forkscope:// scheme) send the same
 * Content-Security-Policy as a header that index.html declares in its <meta http-equiv> tag,
 * taken from the very file they serve, so the two can never drift apart.
 * (A header also covers what a meta tag cannot: frame-ancestors, and non-HTML responses.)
 */

/** The policy the renderer is built for, used only when index.html declares none. */
export const DEFAULT_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "worker-src 'self' blob:; object-src 'none'; base-uri 'none'; form-action 'none'";

const META_CSP = /<meta\s[^>]*http-equiv\s*=\s*["']Content-Security-Policy["'][^>]*>/i;
const CONTENT_ATTR = /\scontent\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

/** The CSP declared by an HTML document's meta tag, or null when it declares none. */
export function cspFromHtml(html: string): string | null {
  const meta = META_CSP.exec(html);
  if (!meta) return null;
  const content = CONTENT_ATTR.exec(meta[0]);
  const policy = content?.[1] ?? content?.[2];
  return policy === undefined ? null : policy.replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** The header value: the page's policy, plus frame-ancestors (ignored in meta, honoured in a header). */
export function cspHeaderFor(html: string): string {
  const policy = (cspFromHtml(html) ?? DEFAULT_CSP).trim().replace(/;\s*$/, '');
  return /(^|;)\s*frame-ancestors\b/.test(policy) ? policy : `${policy}; frame-ancestors 'none'`;
}
