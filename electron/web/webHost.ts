/**
 * The web host: the built renderer over HTTP and the bridge over a WebSocket (wire.ts), for
 * `forkscope web` and for the start command's fallback when Electron is absent. Plain Node.
 *
 * Security (architecture.md §6): loopback by default; a random token on the page URL and on the socket;
 * Host must name this server (DNS rebinding); the socket's Origin must be this server (cross-site
 * WebSocket hijacking). Every client gets its own Session subscription.
 */
import { createReadStream } from 'node:fs';
import { readFile, realpath } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { HostInfo } from '../common/bridge';
import { checkRecordingName, GuardError, MAX_RECORDING_UPLOAD_BYTES } from '../common/guards';
import type { HostEngine } from '../common/hostEngine';
import { RECORDING_UPLOAD_PATH, WS_PATH, type ServerFrame } from '../common/wire';
import { readProcClock } from '../core/model/ProcClock';
import { RecordingFormatError } from '../core/recording/format';
import type { Recording } from '../core/recording/Recording';
import { cspHeaderFor } from '../core/rendererAssets/contentSecurityPolicy';
import { contentTypeFor, resolveStaticFile } from '../core/rendererAssets/staticFiles';
import { NO_CALL_ID, openClientConnection } from './clientConnection';
import { bracketIfIpv6, HostPolicy, isLoopbackHost } from './originPolicy';
import { forkscopePackage } from './repoRoot';
import { TimeMachine, type LiveEngine } from '../core/recording/TimeMachine';
import { generateToken, tokenMatches } from './token';

export interface WebHostOptions {
  /**
   * The engine to serve. A live engine that exposes its raw events (the core engine) gets an
   * always-on ring and the whole timeline; any other HostEngine is served as is.
   */
  engine?: HostEngine;
  /** A recording to show (`forkscope web FILE`), with the timeline; `engine` may then be omitted. */
  recording?: { recording: Recording; label: string };
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  /** The built renderer (default <package>/dist/renderer). */
  staticDir?: string;
  /** Fixed token (tests); default a fresh random 128-bit one. */
  token?: string;
  /** Extra warnings shown in the page (e.g. the start command's fallback reason). */
  warnings?: string[];
}

export interface WebHost {
  /** Page URL including the token: http://127.0.0.1:PORT/?token=… */
  url: string;
  /** The time machine serving the timeline, when the host has one. */
  timeMachine?: TimeMachine;
  /** Stops accepting, closes every client socket, its subscription and the time machine. Does not close the engine. */
  close(): Promise<void>;
}

/** The core engine, as opposed to a stand-in: it can be recorded. */
function isLiveEngine(engine: HostEngine): engine is LiveEngine {
  const candidate = engine as Partial<LiveEngine>;
  return typeof candidate.onEvents === 'function' && typeof candidate.onParentChange === 'function' && typeof candidate.onPlacementChange === 'function' && typeof candidate.table?.all === 'function';
}

function timeMachineFor(options: WebHostOptions): TimeMachine | undefined {
  const live = options.engine && isLiveEngine(options.engine) ? { engine: options.engine, clock: readProcClock() } : undefined;
  if (!live && !options.recording) return undefined;
  return new TimeMachine({ ...(live ? { live } : {}), ...(options.recording ? { recording: options.recording } : {}) });
}

/** Largest client frame accepted: calls are tiny; anything bigger is abuse. */
const MAX_CLIENT_FRAME_BYTES = 64 * 1024;

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? generateToken();
  const staticDir = await realpath(options.staticDir ?? join(forkscopePackage().root, 'dist', 'renderer')).catch(() => {
    throw new Error(`renderer not built: ${options.staticDir ?? 'dist/renderer'} is missing (run \`npm run build\`)`);
  });
  const indexHtml = await readFile(join(staticDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(`renderer not built: ${join(staticDir, 'index.html')} is missing (run \`npm run build\`)`);
  });
  const csp = cspHeaderFor(indexHtml);
  const timeMachine = timeMachineFor(options);
  const engine = timeMachine ?? options.engine;
  if (!engine) throw new Error('startWebHost needs an engine or a recording');
  const hostInfo: HostInfo = {
    host: 'web',
    version: forkscopePackage().version,
    runningAsRoot: process.getuid?.() === 0,
    warnings: [
      ...(options.warnings ?? []),
      ...(isLoopbackHost(host) ? [] : [`the web host listens on ${host}: other machines can reach it (the token still guards it)`]),
    ],
  };

  // Listen first: the Host policy needs the port the kernel picked. Handlers are attached in
  // the same tick, before any connection can be dispatched.
  const server = createServer();
  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const policy = new HostPolicy(host, port);

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handleHttp(request, response).catch((error: unknown) => {
      if (!response.headersSent) respond(response, 500, 'internal error');
      else response.destroy();
      process.stderr.write(`forkscope web: ${error instanceof Error ? error.message : String(error)}\n`);
    });
  });

  function securityHeaders(response: ServerResponse): void {
    response.setHeader('Content-Security-Policy', csp);
    response.setHeader('X-Content-Type-Options', 'nosniff');
    // The page URL carries the token: never leak it in a Referer, never cache the page.
    response.setHeader('Referrer-Policy', 'no-referrer');
    response.setHeader('X-Frame-Options', 'DENY');
    response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  }

  function respond(response: ServerResponse, status: number, text: string): void {
    securityHeaders(response);
    response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    response.end(`${text}\n`);
  }

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!policy.hostAllowed(request.headers.host)) return respond(response, 421, 'unknown Host');
    const url = new URL(request.url ?? '/', 'http://placeholder');
    if (request.method === 'POST' && url.pathname === RECORDING_UPLOAD_PATH) return receiveRecording(request, url, response);
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      return respond(response, 405, 'method not allowed');
    }
    const resolved = await resolveStaticFile(staticDir, url.pathname);
    if (resolved.kind === 'forbidden') return respond(response, 403, 'forbidden');
    if (resolved.kind === 'not-found') return respond(response, 404, 'not found');
    // The page is the door: it needs the token. Its scripts and styles are the public build
    // output (anyone on the machine can read dist/), so they load without one.
    const isPage = resolved.path === join(staticDir, 'index.html');
    if (isPage && !tokenMatches(url.searchParams.get('token'), token)) {
      return respond(response, 403, 'missing or wrong token: open the URL printed by `forkscope web`');
    }
    securityHeaders(response);
    response.writeHead(200, {
      'Content-Type': contentTypeFor(resolved.path),
      'Content-Length': resolved.size,
      'Cache-Control': isPage ? 'no-store' : 'no-cache',
    });
    if (request.method === 'HEAD') return void response.end();
    createReadStream(resolved.path)
      .on('error', () => response.destroy())
      .pipe(response);
  }

  /** A dropped or picked recording file, uploaded by the page (wire.ts RECORDING_UPLOAD_PATH). */
  async function receiveRecording(request: IncomingMessage, url: URL, response: ServerResponse): Promise<void> {
    // The same doors as the socket: a page of this server (Origin) holding the token.
    if (!policy.originAllowed(request.headers.origin) || !tokenMatches(url.searchParams.get('token'), token)) {
      request.resume();
      return respond(response, 403, 'forbidden');
    }
    if (!timeMachine) {
      request.resume();
      return respond(response, 409, 'this host cannot open recordings');
    }
    let name: string;
    try {
      name = checkRecordingName(url.searchParams.get('name'));
    } catch (error) {
      request.resume();
      return respond(response, 400, (error as GuardError).message);
    }
    const declared = Number(request.headers['content-length']);
    if (declared > MAX_RECORDING_UPLOAD_BYTES) {
      request.resume();
      return respond(response, 413, `recording is larger than ${MAX_RECORDING_UPLOAD_BYTES} bytes`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_RECORDING_UPLOAD_BYTES) {
        respond(response, 413, `recording is larger than ${MAX_RECORDING_UPLOAD_BYTES} bytes`);
        request.destroy();
        return;
      }
      chunks.push(chunk);
    }
    if (size === 0) return respond(response, 400, 'recording is empty');
    try {
      timeMachine.openRecording(name, Buffer.concat(chunks, size));
    } catch (error) {
      if (error instanceof RecordingFormatError) return respond(response, 422, error.message);
      throw error;
    }
    securityHeaders(response);
    response.writeHead(204, { 'Cache-Control': 'no-store' });
    response.end();
  }

  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_CLIENT_FRAME_BYTES });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://placeholder');
    const refusal =
      url.pathname !== WS_PATH
        ? '404 Not Found'
        : !policy.hostAllowed(request.headers.host)
          ? '421 Misdirected Request'
          : !policy.originAllowed(request.headers.origin)
            ? '403 Forbidden'
            : !tokenMatches(url.searchParams.get('token'), token)
              ? '403 Forbidden'
              : null;
    if (refusal) {
      socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => attachClient(ws));
  });

  function attachClient(ws: WebSocket): void {
    const send = (frame: ServerFrame): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const connection = openClientConnection(engine as HostEngine, hostInfo, send, timeMachine);
    ws.on('message', (data, isBinary) => {
      if (isBinary) send({ type: 'error', id: NO_CALL_ID, error: 'binary frames are not part of the protocol' });
      else connection.receive(data.toString());
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => connection.close());
  }

  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : bracketIfIpv6(host);

  return {
    url: `http://${urlHost}:${port}/?token=${token}`,
    ...(timeMachine ? { timeMachine } : {}),
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      await new Promise<void>((resolveClose) => sockets.close(() => resolveClose()));
      server.closeAllConnections();
      await new Promise<void>((resolveClose) => server.close(() => resolveClose()));
      timeMachine?.close();
    },
  };
}
