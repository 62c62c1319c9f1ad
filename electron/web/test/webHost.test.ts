import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { HostInfo } from '../../common/bridge';
import type { ServerFrame } from '../../common/wire';
import { startWebHost, type WebHost } from '../webHost';
import { createRecordingEngine, type RecordingEngine } from './fakeEngine';
import { connect } from './wsClient';

const TOKEN = '0123456789abcdef0123456789abcdef';
const PAGE_CSP = "default-src 'self'; script-src 'self'; connect-src 'self'";

let root: string;
let staticDir: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'forkscope-webhost-'));
  staticDir = join(root, 'renderer');
  mkdirSync(join(staticDir, 'assets'), { recursive: true });
  writeFileSync(
    join(staticDir, 'index.html'),
    `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}"><title>Forkscope</title></head><body></body></html>`,
  );
  writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(staticDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(root, 'secret.txt'), 'TOP-SECRET');
  symlinkSync(join(root, 'secret.txt'), join(staticDir, 'assets', 'leak.txt'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

let host: WebHost;
let engine: RecordingEngine;
let origin: string;

beforeEach(async () => {
  engine = createRecordingEngine();
  host = await startWebHost({ engine, staticDir, token: TOKEN });
  origin = new URL(host.url).origin;
});

afterEach(async () => host.close());

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP GET: the path is sent exactly as given (no URL normalisation), Host as given. */
function get(path: string, hostHeader = new URL(origin).host): Promise<Reply> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers: { Host: hostHeader } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function wsUrl(token = TOKEN): string {
  return `${origin.replace('http:', 'ws:')}/ws?token=${token}`;
}

describe('page load', () => {
  it('prints a loopback URL carrying the token', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/\\?token=${TOKEN}$`));
  });

  it('serves index.html only with the right token, with the page CSP, nosniff and no caching', async () => {
    const ok = await get(`/?token=${TOKEN}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Forkscope</title>');
    expect(ok.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(ok.headers['content-security-policy']).toBe(`${PAGE_CSP}; frame-ancestors 'none'`);
    expect(ok.headers['x-content-type-options']).toBe('nosniff');
    expect(ok.headers['cache-control']).toBe('no-store');
    expect(ok.headers['referrer-policy']).toBe('no-referrer');

    for (const path of ['/', '/?token=', '/?token=0123456789abcdef0123456789abcdee', `/index.html?token=${TOKEN}x`]) {
      const refused = await get(path);
      expect(refused.status, path).toBe(403);
      expect(refused.body).not.toContain('Forkscope</title>');
    }
  });

  it('gives assets their content types without a token', async () => {
    const js = await get('/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app");');
    const css = await get('/assets/app.css');
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/missing.js')).status).toBe(404);
    expect((await get('/assets')).status).toBe(404);
  });

  it('never serves a file outside the renderer directory', async () => {
    const attempts = ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/%5c..%5c..%5csecret.txt', '/assets/leak.txt', '/%00', '/%E0%A4%A'];
    for (const path of attempts) {
      const reply = await get(path);
      expect(reply.body, path).not.toContain('TOP-SECRET');
      expect([403, 404], path).toContain(reply.status);
    }
  });

  it('refuses a foreign Host header (DNS rebinding) and accepts localhost', async () => {
    const port = new URL(origin).port;
    expect((await get(`/?token=${TOKEN}`, `evil.example:${port}`)).status).toBe(421);
    expect((await get(`/?token=${TOKEN}`, '127.0.0.1:1')).status).toBe(421);
    expect((await get(`/?token=${TOKEN}`, `localhost:${port}`)).status).toBe(200);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const { hostname, port } = new URL(origin);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ hostname, port, path: `/?token=${TOKEN}`, method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(status).toBe(405);
  });
});

describe('socket handshake', () => {
  it('accepts the right token and same Origin, and answers hello', async () => {
    const client = await connect(wsUrl(), { Origin: origin });
    client.sendRaw(JSON.stringify({ type: 'call', id: 1, method: 'hello' }));
    const reply = await client.next((frame) => frame.type === 'result' && frame.id === 1);
    const info = (reply as Extract<ServerFrame, { type: 'result' }>).result as HostInfo;
    expect(info.host).toBe('web');
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info.runningAsRoot).toBe(process.getuid?.() === 0);
    await client.close();
  });

  it('refuses a missing or wrong token, a foreign Origin, a foreign Host and other paths', async () => {
    await expect(connect(wsUrl('nope'), { Origin: origin })).rejects.toThrow(/403/);
    await expect(connect(wsUrl('').replace('?token=', ''), { Origin: origin })).rejects.toThrow(/403/);
    await expect(connect(wsUrl(), { Origin: 'http://evil.example' })).rejects.toThrow(/403/);
    await expect(connect(wsUrl(), { Origin: origin.replace(/:\d+$/, ':1') })).rejects.toThrow(/403/);
    await expect(connect(wsUrl(), { Origin: 'null' })).rejects.toThrow(/403/);
    await expect(connect(wsUrl(), { Host: 'evil.example', Origin: origin })).rejects.toThrow(/421/);
    await expect(connect(wsUrl().replace('/ws?', '/other?'), { Origin: origin })).rejects.toThrow(/404/);
    expect(engine.listeners).toHaveLength(0);
  });
});

describe('socket protocol', () => {
  it('turns every kind of bad frame into an error frame and keeps serving', async () => {
    const client = await connect(wsUrl(), { Origin: origin });
    const badFrames: Array<[string, number, RegExp]> = [
      ['not json', -1, /not valid JSON/],
      ['[1,2]', -1, /JSON object/],
      ['{"type":"launch"}', -1, /'call' or 'ack'/],
      ['{"type":"call","id":"1","method":"hello"}', -1, /call id/],
      ['{"type":"call","id":2,"method":7}', 2, /method must be a string/],
      ['{"type":"call","id":3,"method":"rm -rf"}', 3, /unknown method/],
      ['{"type":"call","id":4,"method":"__proto__"}', 4, /unknown method/],
      ['{"type":"call","id":5,"method":"getDetail","args":[{"pid":-5,"startTime":1}]}', 5, /invalid argument: pid/],
      ['{"type":"call","id":6,"method":"getDetail","args":[{"pid":1.5,"startTime":1}]}', 6, /invalid argument: pid/],
      ['{"type":"call","id":7,"method":"getDetail"}', 7, /invalid argument: detail request/],
      ['{"type":"call","id":8,"method":"sendSignal","args":[{"pid":1,"startTime":1,"signal":"SIGHUP","subtree":false}]}', 8, /invalid argument: signal/],
      ['{"type":"call","id":9,"method":"sendSignal","args":[{"pid":1,"startTime":1,"signal":"SIGTERM","subtree":"yes"}]}', 9, /invalid argument: subtree/],
      ['{"type":"call","id":10,"method":"getDetail","args":{"pid":1,"startTime":1}}', 10, /args must be an array/],
      ['{"type":"call","id":11,"method":"detail","args":[{"pid":1,"startTime":1}]}', 11, /unknown method/],
      ['{"type":"ack","seq":"12"}', -1, /seq/],
      ['{"type":"ack","seq":-1}', -1, /seq/],
    ];
    for (const [text, id, message] of badFrames) {
      client.frames.length = 0;
      client.sendRaw(text);
      const frame = await client.next((f) => f.type === 'error');
      expect(frame, text).toMatchObject({ type: 'error', id });
      expect((frame as Extract<ServerFrame, { type: 'error' }>).error, text).toMatch(message);
    }
    expect(engine.detailCalls).toEqual([]);
    expect(engine.signalCalls).toEqual([]);
    expect(engine.acks).toEqual([]);

    client.sendRaw(JSON.stringify({ type: 'call', id: 20, method: 'hello' }));
    expect(await client.next((f) => f.type === 'result' && f.id === 20)).toMatchObject({ result: { host: 'web' } });
    await client.close();
  });

  it('passes valid calls and acks to the engine, and engine errors back as error frames', async () => {
    const client = await connect(wsUrl(), { Origin: origin });
    client.sendRaw(JSON.stringify({ type: 'call', id: 1, method: 'requestSnapshot' }));
    expect(await client.next((f) => f.type === 'result' && f.id === 1)).toMatchObject({ result: { seq: 7 } });
    client.sendRaw(JSON.stringify({ type: 'call', id: 2, method: 'getDetail', args: [{ pid: 42, startTime: 1000 }] }));
    expect(await client.next((f) => f.type === 'error' && f.id === 2)).toMatchObject({ error: 'no process 42' });
    const signal = { pid: 42, startTime: 1000, signal: 'SIGTERM', subtree: false };
    client.sendRaw(JSON.stringify({ type: 'call', id: 3, method: 'sendSignal', args: [{ ...signal, extra: 'ignored' }] }));
    expect(await client.next((f) => f.type === 'result' && f.id === 3)).toMatchObject({ result: { outcomes: [{ pid: 42, error: 'ESRCH' }] } });
    client.sendRaw(JSON.stringify({ type: 'ack', seq: 8 }));
    client.sendRaw(JSON.stringify({ type: 'call', id: 4, method: 'hello' }));
    await client.next((f) => f.type === 'result' && f.id === 4);
    expect(engine.detailCalls).toEqual([[42, 1000]]);
    expect(engine.signalCalls).toEqual([signal]);
    expect(engine.acks).toEqual([8]);
    await client.close();
  });

  it('gives each tab its own subscription and pushes its messages to it alone', async () => {
    const first = await connect(wsUrl(), { Origin: origin });
    const second = await connect(wsUrl(), { Origin: origin });
    expect(engine.listeners).toHaveLength(2);
    const snapshot = { seq: 1, ts: 1, processes: [], source: engine.status() };
    engine.listeners[1]?.({ type: 'snapshot', snapshot });
    expect(await second.next((f) => f.type === 'event')).toEqual({ type: 'event', event: 'message', payload: { type: 'snapshot', snapshot } });
    expect(first.frames.filter((f) => f.type === 'event')).toEqual([]);
    await first.close();
    await expect.poll(() => engine.closedSubscriptions).toBe(1);
    await second.close();
    await expect.poll(() => engine.closedSubscriptions).toBe(2);
  });

  it('closes every client and its subscription on close()', async () => {
    const client = await connect(wsUrl(), { Origin: origin });
    const closed = client.close.bind(client);
    await host.close();
    await expect.poll(() => engine.closedSubscriptions).toBe(1);
    await closed();
    await expect(connect(wsUrl(), { Origin: origin })).rejects.toThrow();
    host = await startWebHost({ engine, staticDir, token: TOKEN });
  });

  it('reports a missing renderer build clearly', async () => {
    await expect(startWebHost({ engine, staticDir: join(root, 'nowhere') })).rejects.toThrow(/renderer not built/);
  });
});
