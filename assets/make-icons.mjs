// Draws the Forkscope icon (a process tree: a root forking into children and grandchildren, one
// just exited in red) and writes it as PNGs at the sizes the desktop wants. No dependencies: a
// tiny signed-distance rasteriser and a PNG encoder over node:zlib. Run: node assets/make-icons.mjs
import { deflateSync } from 'node:zlib';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZES = [512, 256, 128, 64, 32];
const OUT = join(dirname(fileURLToPath(import.meta.url)), 'icons');

// Geometry in a 0..1 square.
const BACKGROUND = { radius: 0.2, color: [0x14, 0x1b, 0x24] };
const NODES = [
  { x: 0.5, y: 0.2, r: 0.085, color: [0x4f, 0xc3, 0xf7] },
  { x: 0.27, y: 0.5, r: 0.07, color: [0x81, 0xc7, 0x84] },
  { x: 0.73, y: 0.5, r: 0.07, color: [0x81, 0xc7, 0x84] },
  { x: 0.17, y: 0.8, r: 0.055, color: [0xff, 0xd5, 0x4f] },
  { x: 0.39, y: 0.8, r: 0.055, color: [0xff, 0xd5, 0x4f] },
  { x: 0.62, y: 0.8, r: 0.055, color: [0xff, 0xd5, 0x4f] },
  { x: 0.84, y: 0.8, r: 0.055, color: [0xef, 0x53, 0x50] },
];
const EDGES = [[0, 1], [0, 2], [1, 3], [1, 4], [2, 5], [2, 6]];
const EDGE_WIDTH = 0.022;
const EDGE_COLOR = [0x90, 0xa4, 0xae];

function roundedSquareDistance(x, y) {
  const r = BACKGROUND.radius;
  const qx = Math.abs(x - 0.5) - (0.5 - r);
  const qy = Math.abs(y - 0.5) - (0.5 - r);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function segmentDistance(px, py, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

/** Colour (premultiplied RGBA 0..1) of one point, layers painted back to front. */
function shade(x, y) {
  let rgba = [0, 0, 0, 0];
  const over = (color, alpha) => {
    rgba = color.map((c, i) => (c / 255) * alpha + rgba[i] * (1 - alpha)).concat(alpha + rgba[3] * (1 - alpha));
  };
  if (roundedSquareDistance(x, y) <= 0) over(BACKGROUND.color, 1);
  else return rgba;
  for (const [from, to] of EDGES) if (segmentDistance(x, y, NODES[from], NODES[to]) <= EDGE_WIDTH / 2) over(EDGE_COLOR, 1);
  for (const node of NODES) if (Math.hypot(x - node.x, y - node.y) <= node.r) over(node.color, 1);
  return rgba;
}

function render(size) {
  const samples = 4; // 4×4 supersampling for smooth edges
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const c = shade((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size);
          for (let i = 0; i < 4; i++) sum[i] += c[i];
        }
      }
      const n = samples * samples;
      const alpha = sum[3] / n;
      const offset = (py * size + px) * 4;
      for (let i = 0; i < 3; i++) pixels[offset + i] = alpha === 0 ? 0 : Math.round((sum[i] / n / alpha) * 255);
      pixels[offset + 3] = Math.round(alpha * 255);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
for (const size of SIZES) {
  const file = join(OUT, `${size}x${size}.png`);
  writeFileSync(file, encodePng(size, render(size)));
  process.stdout.write(`${file}\n`);
}
