/**
 * What the Electron installer tests need without the internet: a copy of the installed electron
 * package whose installer writes into a temporary directory (never into the shared
 * node_modules), a mirror served on 127.0.0.1 that records what it was asked, the environment
 * that points the installer at that mirror alone, and small zip archives.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import { electronPackageDir } from '../commands/electronBinary';

/** One file of a zip: stored (no compression), with its unix mode. */
export interface ZipEntry {
  name: string;
  content: string | Buffer;
  mode?: number;
}

/** A zip archive (stored entries, unix modes in the external attributes), as Electron's are. */
export function zipOf(entries: readonly ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const name = Buffer.from(entry.name, 'utf8');
    const data = Buffer.isBuffer(entry.content) ? entry.content : Buffer.from(entry.content, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by: unix, so the mode below counts
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((0o100000 | (entry.mode ?? 0o644)) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const centralSize = centrals.reduce((sum, part) => sum + part.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, ...centrals, end]);
}

export const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

/** How the mirror answers one path. */
export type MirrorAnswer =
  | { body: Buffer; chunks?: number; chunkDelayMs?: number }
  /** Headers and the first `sentBytes` of a `size`-byte body, then nothing, ever ('stall'), or the connection closed ('cut'). */
  | { sentBytes: number; size: number; then: 'stall' | 'cut' };

export interface Mirror {
  /** Base URL for ELECTRON_MIRROR (ends with '/'). */
  url: string;
  /** Every path requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** An HTTP mirror on 127.0.0.1: `answers` by path, 404 for anything else. */
export async function startMirror(answers: Record<string, MirrorAnswer>): Promise<Mirror> {
  const requests: string[] = [];
  const open = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.push(path);
    const answer = answers[path];
    if (answer === undefined) {
      response.writeHead(404).end('not on this mirror');
      return;
    }
    open.add(response);
    response.once('close', () => open.delete(response));
    if ('then' in answer) {
      response.writeHead(200, { 'content-length': answer.size });
      response.write(Buffer.alloc(answer.sentBytes, 1), () => {
        if (answer.then === 'cut') response.destroy();
      });
      return;
    }
    response.writeHead(200, { 'content-length': answer.body.length });
    const chunks = answer.chunks ?? 1;
    const size = Math.ceil(answer.body.length / chunks);
    const send = (index: number): void => {
      if (response.destroyed) return;
      if (index >= chunks) {
        response.end();
        return;
      }
      response.write(answer.body.subarray(index * size, (index + 1) * size));
      setTimeout(() => send(index + 1), answer.chunkDelayMs ?? 0);
    };
    send(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of open) response.destroy();
        server.close(() => resolve());
      }),
  };
}

/** The real installed electron package (its installer is what runs in these tests). */
function realPackageDir(): string {
  const dir = electronPackageDir();
  if (dir === null) throw new Error('the electron package is not installed');
  return dir;
}

export const electronVersion = (): string => (JSON.parse(readFileSync(join(realPackageDir(), 'package.json'), 'utf8')) as { version: string }).version;

/** The archive name the installer asks the mirror for on this machine. */
export const electronZipName = (): string => `electron-v${electronVersion()}-${process.platform}-${process.arch}.zip`;

/**
 * A copy of the installed electron package under `root`/node_modules/electron: its own
 * install.js, package.json and checksums.json (the real SHASUMS of the real release), with its
 * dependencies linked to the installed ones. Its installer extracts into this copy.
 */
export function electronPackageCopy(root: string): string {
  const real = realPackageDir();
  const copy = join(root, 'node_modules', 'electron');
  mkdirSync(copy, { recursive: true });
  for (const file of ['install.js', 'package.json', 'checksums.json']) copyFileSync(join(real, file), join(copy, file));
  const { dependencies = {} } = JSON.parse(readFileSync(join(real, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of Object.keys(dependencies)) {
    // Where Node would find it from the real package: nested, else hoisted beside it.
    const nested = join(real, 'node_modules', name);
    const link = join(root, 'node_modules', name);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(existsSync(nested) ? nested : join(dirname(real), name), link);
  }
  return copy;
}

/**
 * The installer's whole environment: nothing inherited that could name another mirror
 * (npm_config_electron_mirror wins over ELECTRON_MIRROR) or a proxy, and a cache of its own.
 */
export function installerEnv(mirror: Mirror, cacheDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, HOME: cacheDir, ELECTRON_MIRROR: mirror.url, electron_config_cache: cacheDir, ...extra };
}
