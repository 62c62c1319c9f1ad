/**
 * Which Host and Origin headers the web host accepts. A page on evil.example can make the browser
 * connect to 127.0.0.1 by rebinding its DNS name, but the browser then sends `Host: evil.example`;
 * a page on another origin can open a WebSocket to us, but the browser then sends its own Origin.
 * So both headers must name this very server.
 */
import { networkInterfaces } from 'node:os';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]';
}

/** `::1` → `[::1]`: IPv6 literals appear bracketed in Host headers and URLs. */
export function bracketIfIpv6(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** The host names (without port) under which this server may legitimately be addressed. */
export function allowedHostNames(boundHost: string): Set<string> {
  const names = new Set<string>([bracketIfIpv6(boundHost).toLowerCase()]);
  if (isLoopbackHost(boundHost) || isWildcardHost(boundHost)) for (const name of LOOPBACK_NAMES) names.add(name);
  if (isWildcardHost(boundHost)) {
    // Bound to every interface: the machine's own addresses are legitimate, nothing else is.
    for (const addresses of Object.values(networkInterfaces())) {
      for (const address of addresses ?? []) names.add(bracketIfIpv6(address.address).toLowerCase());
    }
  }
  return names;
}

export class HostPolicy {
  private readonly hosts: Set<string>;

  constructor(boundHost: string, port: number) {
    // Browsers leave out the scheme's default port, in Host and in Origin alike.
    const suffixes = port === 80 ? [':80', ''] : [`:${port}`];
    this.hosts = new Set([...allowedHostNames(boundHost)].flatMap((name) => suffixes.map((suffix) => `${name}${suffix}`)));
  }

  /** The Host header must be one of our names with our port (left out only when it is 80). */
  hostAllowed(hostHeader: string | undefined): boolean {
    return hostHeader !== undefined && this.hosts.has(hostHeader.toLowerCase());
  }

  /**
   * The Origin of a WebSocket handshake must be this server's own http origin. A missing Origin
   * is not a browser (browsers always send it on WebSocket handshakes), so cross-site attacks
   * cannot produce it; such a client still needs the token.
   */
  originAllowed(originHeader: string | undefined): boolean {
    if (originHeader === undefined) return true;
    let origin: URL;
    try {
      origin = new URL(originHeader);
    } catch {
      return false;
    }
    return origin.protocol === 'http:' && origin.origin === originHeader.toLowerCase() && this.hosts.has(origin.host);
  }
}
