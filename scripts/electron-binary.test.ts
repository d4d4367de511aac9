import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from './electron-binary.mjs';

const roots: string[] = [];
afterAll(async () => {
  for (const root of roots) await rm(root, { recursive: true, force: true });
});

describe('findElectronBinary', () => {
  async function fakeElectron(options: { pathTxt?: string; binary?: boolean; executable?: boolean }) {
    const root = await mkdtemp(join(tmpdir(), 'tally-electron-bin-'));
    roots.push(root);
    const pkg = join(root, 'node_modules', 'electron');
    await mkdir(join(pkg, 'dist'), { recursive: true });
    await writeFile(join(pkg, 'package.json'), '{}');
    if (options.pathTxt) await writeFile(join(pkg, 'path.txt'), options.pathTxt);
    if (options.binary) {
      await writeFile(join(pkg, 'dist', 'electron'), '#!/bin/sh\n');
      await chmod(join(pkg, 'dist', 'electron'), options.executable ? 0o755 : 0o644);
    }
    return root;
  }

  it('explains why Electron cannot start', async () => {
    const linux = { platform: 'linux', env: { DISPLAY: ':0' } };
    expect(findElectronBinary(join(tmpdir(), 'no-such-project'), linux)).toMatchObject({ ok: false });
    expect(findElectronBinary(await fakeElectron({}), linux)).toMatchObject({
      ok: false,
      reason: /never downloaded/,
    });
    expect(findElectronBinary(await fakeElectron({ pathTxt: 'electron' }), linux)).toMatchObject({
      ok: false,
      reason: /missing/,
    });
    if (process.platform !== 'win32') {
      const notExec = await fakeElectron({ pathTxt: 'electron', binary: true, executable: false });
      expect(findElectronBinary(notExec, linux)).toMatchObject({ ok: false, reason: /not executable/ });
    }
  });

  it('needs a display on Linux and returns the binary path when everything is there', async () => {
    const root = await fakeElectron({ pathTxt: 'electron', binary: true, executable: true });
    expect(findElectronBinary(root, { platform: 'linux', env: {} })).toMatchObject({
      ok: false,
      reason: /display/,
    });
    expect(findElectronBinary(root, { platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' } })).toEqual({
      ok: true,
      path: join(root, 'node_modules', 'electron', 'dist', 'electron'),
    });
  });
});
