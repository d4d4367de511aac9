// Reads the Electron fuses back from the packaged app(s) in dist/ and compares them with
// `electronFuses` in electron-builder.yml: a fuse electron-builder failed to flip (or a future
// Electron that moved one) fails the release instead of shipping silently.
// Usage: node build/check-fuses.mjs [dist-dir]   (run by .github/workflows/release.yml)
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fuses from '@electron/fuses';
import { parse } from 'yaml';

const { FuseV1Options, getCurrentFuseWire } = fuses;
/** The bytes of a fuse wire (@electron/fuses keeps this enum internal): '0', '1', 'r'. */
export const FuseState = { DISABLE: 48, ENABLE: 49, REMOVED: 114 };

/** electron-builder's `electronFuses` keys → the fuse wire positions of @electron/fuses. */
export const FUSE_OF_OPTION = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  loadBrowserProcessSpecificV8Snapshot: FuseV1Options.LoadBrowserProcessSpecificV8Snapshot,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

/** The fuses electron-builder.yml asks for: { [FuseV1Options]: boolean }. */
export function expectedFuses(builderYaml) {
  const fuses = parse(builderYaml)?.electronFuses ?? {};
  const expected = {};
  for (const [key, value] of Object.entries(fuses)) {
    if (!(key in FUSE_OF_OPTION)) continue; // resetAdHocDarwinSignature and the like are not fuses
    expected[FUSE_OF_OPTION[key]] = value === true;
  }
  return expected;
}

/** Differences between the wanted fuses and a wire read from a binary, as readable lines. */
export function fuseMismatches(expected, wire) {
  const problems = [];
  for (const [index, on] of Object.entries(expected)) {
    const state = wire[index];
    const name = FuseV1Options[index];
    if (state === FuseState.REMOVED) problems.push(`${name}: removed from this Electron`);
    else if (state !== (on ? FuseState.ENABLE : FuseState.DISABLE)) {
      problems.push(
        `${name}: expected ${on ? 'on' : 'off'}, found ${state === FuseState.ENABLE ? 'on' : 'off'}`,
      );
    }
  }
  return problems;
}

/** The Electron binaries electron-builder left unpacked in `dist` (win-unpacked, mac*, linux-unpacked). */
export function packagedBinaries(dist) {
  if (!existsSync(dist)) return [];
  const found = [];
  for (const entry of readdirSync(dist, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(dist, entry.name);
    if (entry.name === 'win-unpacked' || entry.name === 'win-arm64-unpacked') {
      found.push(
        ...readdirSync(dir)
          .filter((f) => f.endsWith('.exe') && !/^Uninstall/i.test(f))
          .map((f) => join(dir, f)),
      );
    } else if (/^mac(-universal|-arm64)?$/.test(entry.name)) {
      found.push(
        ...readdirSync(dir)
          .filter((f) => f.endsWith('.app'))
          .map((f) => join(dir, f)),
      );
    } else if (/^linux(-arm64)?-unpacked$/.test(entry.name) && existsSync(join(dir, 'tally'))) {
      found.push(join(dir, 'tally'));
    }
  }
  return found.sort();
}

async function main() {
  const dist = process.argv[2] ?? 'dist';
  const expected = expectedFuses(readFileSync(new URL('../electron-builder.yml', import.meta.url), 'utf8'));
  const binaries = packagedBinaries(dist);
  if (binaries.length === 0) {
    console.error(`No packaged app found in ${dist}/ (run electron-builder first).`);
    process.exit(1);
  }
  let failed = false;
  for (const binary of binaries) {
    const problems = fuseMismatches(expected, await getCurrentFuseWire(binary));
    console.log(`${binary}: ${problems.length === 0 ? 'fuses as configured' : problems.join('; ')}`);
    failed ||= problems.length > 0;
  }
  process.exit(failed ? 1 : 0);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
