import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fuses from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedFuses, FuseState, fuseMismatches, packagedBinaries } from '../build/check-fuses.mjs';

const builderYaml = readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8');
const dist = mkdtempSync(join(tmpdir(), 'tally-fuses-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

/** A stand-in Electron binary: padding, the fuse sentinel, wire version 1, 8 fuses as Electron ships them. */
function fakeElectron(path: string): void {
  const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
  const defaults = '10110010'; // RunAsNode on, cookies off, NODE_OPTIONS on, --inspect on, integrity off, …
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.alloc(64, 7),
      Buffer.from(SENTINEL),
      Buffer.from([1, 8]),
      Buffer.from(defaults),
      Buffer.alloc(16),
    ]),
  );
}

describe('reading the fuses back from a package (build/check-fuses.mjs)', () => {
  it('wants what electron-builder.yml says, asar integrity validation included', () => {
    const expected = expectedFuses(builderYaml);
    const { FuseV1Options } = fuses;
    expect(expected[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(expected[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(expected[FuseV1Options.RunAsNode]).toBe(false);
    expect(expected[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
  });

  it('finds the packaged binaries electron-builder leaves in dist/', () => {
    fakeElectron(join(dist, 'linux-unpacked', 'tally'));
    mkdirSync(join(dist, 'win-unpacked'), { recursive: true });
    writeFileSync(join(dist, 'win-unpacked', 'Tally.exe'), 'x');
    writeFileSync(join(dist, 'win-unpacked', 'Uninstall Tally.exe'), 'x');
    mkdirSync(join(dist, 'mac-arm64', 'Tally.app'), { recursive: true });
    writeFileSync(join(dist, 'Tally-0.1.0.AppImage'), 'x');
    expect(packagedBinaries(dist)).toEqual([
      join(dist, 'linux-unpacked', 'tally'),
      join(dist, 'mac-arm64', 'Tally.app'),
      join(dist, 'win-unpacked', 'Tally.exe'),
    ]);
  });

  it('fails a binary whose fuses were not flipped, passes it once they are', async () => {
    const binary = join(dist, 'linux-unpacked', 'tally');
    fakeElectron(binary);
    const expected = expectedFuses(builderYaml);
    const before = fuseMismatches(expected, await fuses.getCurrentFuseWire(binary));
    expect(before).toEqual(
      expect.arrayContaining([
        'RunAsNode: expected off, found on',
        'EnableEmbeddedAsarIntegrityValidation: expected on, found off',
      ]),
    );
    // What electron-builder does with `electronFuses` after packing.
    await fuses.flipFuses(binary, { version: fuses.FuseVersion.V1, ...expected });
    expect(fuseMismatches(expected, await fuses.getCurrentFuseWire(binary))).toEqual([]);
  });

  it('reports a fuse this Electron no longer has', () => {
    expect(fuseMismatches({ 4: true }, { 4: FuseState.REMOVED })).toEqual([
      'EnableEmbeddedAsarIntegrityValidation: removed from this Electron',
    ]);
  });
});
