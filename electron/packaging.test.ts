import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
// electron-builder's own loader (js-yaml) and schema validator: the exact checks `npm run dist` runs first.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../build/make-icons.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const quietLogger = { isEnabled: false, add() {} } as unknown as Parameters<typeof validateConfiguration>[1];

let loaded: ReturnType<typeof getConfig> | undefined;
/** Loaded once: each load re-reads package.json and the YAML. Callers must not mutate it. */
function loadConfig() {
  loaded ??= getConfig(root, 'electron-builder.yml', null);
  return loaded;
}

const targetsOf = (platform: unknown) =>
  ((platform as { target: Array<string | { target: string }> }).target ?? []).map((t) =>
    typeof t === 'string' ? t : t.target,
  );

describe('electron-builder.yml', () => {
  it('is valid against electron-builder’s schema', async () => {
    await expect(validateConfiguration(await loadConfig(), quietLogger)).resolves.toBeUndefined();
  });

  it('the validator would catch a misspelt option (so the check above means something)', async () => {
    const config = { ...(await loadConfig()), linux: { categroy: 'Finance' } } as never;
    await expect(validateConfiguration(config, quietLogger)).rejects.toThrow(/configuration\.linux/);
  });

  it('names the app and ships only the built output', async () => {
    const c = await loadConfig();
    expect(c.appId).toBe('app.tally.wallet');
    expect(c.productName).toBe('Tally');
    expect(c.directories).toMatchObject({ output: 'dist', buildResources: 'build' });
    // electron-builder normalises `files` into file sets.
    const patterns = (c.files as Array<{ filter: string[] }>).flatMap((set) => set.filter);
    expect(patterns).toEqual(expect.arrayContaining(['out/**', 'package.json', '!out/web/**']));
  });

  it('registers the wallet:// protocol', async () => {
    const c = await loadConfig();
    expect(c.protocols).toEqual([expect.objectContaining({ schemes: ['wallet'] })]);
  });

  it('builds nsis, a hardened dmg, AppImage and deb', async () => {
    const c = await loadConfig();
    expect(targetsOf(c.win)).toEqual(['nsis']);
    expect(targetsOf(c.mac)).toEqual(['dmg']);
    expect(c.mac).toMatchObject({
      category: 'public.app-category.finance',
      hardenedRuntime: true,
      entitlements: 'build/entitlements.mac.plist',
    });
    expect(targetsOf(c.linux)).toEqual(['AppImage', 'deb']);
    expect(c.linux).toMatchObject({ category: 'Finance' });
    // deb refuses to build without a maintainer e-mail address.
    expect(c.linux?.maintainer).toMatch(/<[^@\s]+@[^>\s]+>/);
  });

  it('keeps native modules out of the asar and locks down Electron fuses', async () => {
    const c = await loadConfig();
    expect(c.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/classic-level/**']));
    expect(c.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
    });
  });

  it('points at entitlements that exist and allow only JIT', () => {
    const plist = readFileSync(new URL('../build/entitlements.mac.plist', import.meta.url), 'utf8');
    expect([...plist.matchAll(/<key>([^<]+)<\/key>/g)].map((m) => m[1])).toEqual([
      'com.apple.security.cs.allow-jit',
    ]);
  });
});

/** Splits a PNG into chunks, checking every CRC. */
function readPng(bytes: Buffer) {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const chunks: Array<{ type: string; data: Buffer }> = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('ascii', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    expect(bytes.readUInt32BE(at + 8 + length)).toBe(crc32(bytes.subarray(at + 4, at + 8 + length)));
    chunks.push({ type, data });
    at += 12 + length;
  }
  const ihdr = chunks[0]!.data;
  const width = ihdr.readUInt32BE(0);
  const height = ihdr.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const pixel = (x: number, y: number) => [...raw.subarray(y * (width * 4 + 1) + 1 + x * 4).subarray(0, 4)];
  return { chunks, width, height, colourType: ihdr[9], bitDepth: ihdr[8], raw, pixel };
}

describe('icon', () => {
  it('crc32 matches the standard check value', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('encodePng round-trips pixels', () => {
    const rgba = new Uint8Array([
      255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
    ]);
    const png = readPng(encodePng(3, 2, rgba));
    expect([png.width, png.height, png.bitDepth, png.colourType]).toEqual([3, 2, 8, 6]);
    expect(png.pixel(1, 0)).toEqual([0, 255, 0, 128]);
    expect(png.pixel(2, 1)).toEqual([9, 10, 11, 12]);
  });

  it('build/icon.png is a valid 1024×1024 RGBA PNG with a transparent margin and an opaque body', () => {
    const path = fileURLToPath(new URL('../build/icon.png', import.meta.url));
    expect(existsSync(path)).toBe(true);
    const png = readPng(readFileSync(path));
    expect([png.width, png.height, png.bitDepth, png.colourType]).toEqual([1024, 1024, 8, 6]);
    expect(png.chunks.map((c) => c.type).at(-1)).toBe('IEND');
    expect(png.raw.length).toBe(1024 * (1024 * 4 + 1));
    expect(png.pixel(5, 5)[3]).toBe(0);
    expect(png.pixel(512, 150)[3]).toBe(255);
  });
});
