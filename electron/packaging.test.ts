import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inflateSync } from 'node:zlib';
// electron-builder's own loader (js-yaml) and schema validator: the exact checks `npm run dist` runs first.
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32, encodePng } from '../build/make-icons.mjs';
import { APP_ID } from './main/app-id';
import { INVITE_SCHEMES } from './main/deep-link';
import { runtimePackages } from './runtime-imports';
import { type Platform, productionPackages, shippedFiles } from './shipped-files';

const root = fileURLToPath(new URL('..', import.meta.url));
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};
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
    // Per platform (each keeps its own native prebuilds only); nothing at the top level.
    expect(c.files ?? []).toEqual([]);
    for (const platform of [c.win, c.mac, c.linux]) {
      const patterns = (platform as { files: string[] }).files;
      expect(patterns).toEqual(
        expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', 'package.json']),
      );
      expect(patterns).not.toContain('out/**');
    }
  });

  it('uses the appId the shell sets as the Windows AppUserModelID', async () => {
    expect((await loadConfig()).appId).toBe(APP_ID);
  });

  it('registers tally:// and, for invites already shared, wallet://', async () => {
    const c = await loadConfig();
    expect(c.protocols).toEqual([expect.objectContaining({ schemes: [...INVITE_SCHEMES] })]);
  });

  it('has no update source of its own: a local build never updates itself (the release workflow adds one)', async () => {
    expect((await loadConfig()).publish ?? null).toBeNull();
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
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    // The fuse is only worth something with an asar to check.
    expect(c.asar).toBe(true);
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

/**
 * What the installers contain. A scratch project holds this package.json, lock and builder config,
 * the real node_modules (linked), a typical out/ after `npm test` (bundles, source maps, web
 * build, test output, screenshots, benchmark results) and source folders as decoys; the file list
 * comes from electron-builder's own matchers (shipped-files.ts).
 */
describe('the files an installer ships', () => {
  const BUILT = [
    'out/main/index.js',
    'out/main/relay.js',
    'out/main/chunks/protocol-abc.js',
    'out/preload/index.cjs',
    'out/renderer/index.html',
    'out/renderer/assets/index-abc.js',
  ];
  const JUNK = [
    'out/main/index.js.map',
    'out/renderer/assets/index-abc.js.map',
    'out/web/index.html',
    'out/test-results/vitest.json',
    'out/screenshots/balances-en-light.png',
    'out/e2e-artifacts/trace.zip',
    'out/bench-quick.json',
    'renderer/src/App.tsx',
    'shared/money/index.ts',
    'electron/main/app.ts',
    'e2e/electron.spec.ts',
    'scripts/biome.mjs',
    'docs/desktop.md',
    'bench/results.json',
    'relay-data/rooms/LOG',
    '.github/workflows/release.yml',
    'dist/linux-unpacked/tally',
  ];
  // Bundled by Vite into out/renderer; shipping them again in node_modules is dead weight.
  const RENDERER_ONLY = [
    'react',
    'react-dom',
    'scheduler',
    'react-i18next',
    'i18next',
    'dexie',
    'dexie-react-hooks',
    'qrcode',
    'papaparse',
    'libsodium',
    'y-websocket',
    '@y/websocket-server',
  ];
  const NATIVE_DIR: Record<Platform, string> = {
    linux: 'linux-x64',
    win: 'win32-x64',
    mac: 'darwin-x64+arm64',
  };

  let project: string;
  beforeAll(() => {
    project = mkdtempSync(join(tmpdir(), 'tally-packaging-'));
    for (const file of ['package.json', 'package-lock.json', 'electron-builder.yml']) {
      copyFileSync(join(root, file), join(project, file));
    }
    symlinkSync(join(root, 'node_modules'), join(project, 'node_modules'), 'dir');
    for (const file of [...BUILT, ...JUNK]) {
      mkdirSync(dirname(join(project, file)), { recursive: true });
      writeFileSync(join(project, file), 'x');
    }
  });
  afterAll(() => rmSync(project, { recursive: true, force: true }));

  const shipped = async (platform: Platform, arch: 'x64' | 'arm64' = 'x64') =>
    shippedFiles(project, (await getConfig(project, 'electron-builder.yml', null)) as never, platform, arch);

  it.each(['linux', 'win', 'mac'] as const)(
    '%s: the built app and its runtime dependencies, nothing else',
    async (platform) => {
      const files = await shipped(platform, platform === 'mac' ? 'arm64' : 'x64');
      expect(files).toEqual(expect.arrayContaining([...BUILT, 'package.json']));
      // The main process's runtime packages are there (a missing one would crash the app at start).
      for (const dep of Object.keys(packageJson.dependencies)) {
        expect(files, dep).toContain(`node_modules/${dep}/package.json`);
      }
      const forbidden = files.filter(
        (f) =>
          JUNK.includes(f) ||
          f.endsWith('.map') ||
          /(^|\/)node_modules\/@biomejs\//.test(f) ||
          RENDERER_ONLY.some((pkg) => f.startsWith(`node_modules/${pkg}/`)) ||
          (!f.startsWith('node_modules/') && !BUILT.includes(f) && f !== 'package.json'),
      );
      expect(forbidden).toEqual([]);
      // Native code for this platform only.
      const nativeDirs = new Set(files.flatMap((f) => /\/prebuilds\/([^/]+)\//.exec(f)?.[1] ?? []));
      expect([...nativeDirs]).toEqual([NATIVE_DIR[platform]]);
      expect(files.some((f) => f.startsWith('node_modules/classic-level/deps/'))).toBe(false);
    },
  );

  it('stays small: the dependencies it ships weigh under 25 MB, not the 96 MB linter', async () => {
    const files = await shipped('linux');
    const bytes = files
      .filter((f) => f.startsWith('node_modules/'))
      .reduce((sum, f) => sum + statSync(join(project, f)).size, 0);
    expect(bytes).toBeLessThan(25 * 1024 * 1024); // ~19 MB today, zod and LevelDB the largest
  });

  it('the check sees what the config lets through (a config shipping out/** would fail it)', async () => {
    const config = (await getConfig(project, 'electron-builder.yml', null)) as unknown as Record<
      string,
      unknown
    >;
    const loose = { ...config, linux: { ...(config.linux as object), files: ['out/**', 'package.json'] } };
    const files = shippedFiles(project, loose, 'linux', 'x64');
    expect(files).toEqual(expect.arrayContaining(['out/test-results/vitest.json', 'out/main/index.js.map']));
    expect(files.some((f) => f.startsWith('node_modules/@biomejs/'))).toBe(true);
  });

  it('package.json dependencies are exactly what the main and relay processes load at run time', () => {
    const used = new Set(
      runtimePackages([join(root, 'electron/main/index.ts'), join(root, 'electron/relay-process/index.ts')]),
    );
    const unused = Object.keys(packageJson.dependencies).filter((dep) => !used.has(dep));
    expect(unused, 'renderer-only packages belong in devDependencies (Vite bundles them)').toEqual([]);
  });

  it('the production tree follows the lock: a renderer package is out, a relay package and its own deps in', () => {
    const packages = productionPackages(root);
    expect(packages).toEqual(expect.arrayContaining(['node_modules/ws', 'node_modules/classic-level']));
    expect(packages).not.toContain('node_modules/react');
    expect(packages).not.toContain('node_modules/vite');
  });
});
