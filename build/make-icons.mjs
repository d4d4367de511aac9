// Renders the Tally logo (tally marks on a teal rounded square) and writes build/icon.png.
// No native dependencies: shapes are signed-distance functions sampled into an RGBA buffer,
// encoded as PNG with node:zlib. electron-builder derives the .ico/.icns from icon.png.
// Run: node build/make-icons.mjs
import { writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { deflateSync } from 'node:zlib';

export const ICON_SIZE = 1024;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 as PNG chunks use it (ISO 3309). */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'ascii');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** Encodes straight (non-premultiplied) 8-bit RGBA pixels as a PNG file. */
export function encodePng(width, height, rgba) {
  if (rgba.length !== width * height * 4) throw new Error('pixel buffer does not match the size');
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type RGBA
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0; // filter: none
    Buffer.from(rgba.buffer, rgba.byteOffset + y * stride, stride).copy(raw, y * (stride + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Signed distances (negative inside), in units of the 1024-wide design grid.
function roundedRect(x, y, cx, cy, halfW, halfH, r) {
  const qx = Math.abs(x - cx) - halfW + r;
  const qy = Math.abs(y - cy) - halfH + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
}

function capsule(x, y, ax, ay, bx, by, r) {
  const px = x - ax;
  const py = y - ay;
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, (px * dx + py * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - dx * t, py - dy * t) - r;
}

const TEAL_TOP = [20, 184, 166];
const TEAL_BOTTOM = [15, 118, 110];
const WHITE = [255, 255, 255];
const AMBER = [251, 191, 36];
const BARS = [332, 444, 556, 668].map((x) => [x, 300, x, 724]);
const STRIKE = [262, 640, 762, 384];

/** Colour and coverage of one sample point: later layers paint over earlier ones. */
function sample(x, y) {
  if (roundedRect(x, y, 512, 512, 412, 412, 185) > 0) return null;
  const t = (x + y) / 2048;
  let color = TEAL_TOP.map((c, i) => c + (TEAL_BOTTOM[i] - c) * t);
  if (BARS.some(([ax, ay, bx, by]) => capsule(x, y, ax, ay, bx, by, 34) <= 0)) color = WHITE;
  if (capsule(x, y, ...STRIKE, 30) <= 0) color = AMBER;
  return color;
}

/** Renders the logo at `size` pixels with 4×4 supersampling for smooth edges. */
export function renderLogo(size = ICON_SIZE) {
  const grid = 4;
  const scale = 1024 / size;
  const pixels = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let hits = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const color = sample((px + (sx + 0.5) / grid) * scale, (py + (sy + 0.5) / grid) * scale);
          if (!color) continue;
          r += color[0];
          g += color[1];
          b += color[2];
          hits++;
        }
      }
      const o = (py * size + px) * 4;
      if (hits === 0) continue;
      pixels[o] = Math.round(r / hits);
      pixels[o + 1] = Math.round(g / hits);
      pixels[o + 2] = Math.round(b / hits);
      pixels[o + 3] = Math.round((255 * hits) / (grid * grid));
    }
  }
  return pixels;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const target = fileURLToPath(new URL('./icon.png', import.meta.url));
  writeFileSync(target, encodePng(ICON_SIZE, ICON_SIZE, renderLogo(ICON_SIZE)));
  console.log(`wrote ${target}`);
}
