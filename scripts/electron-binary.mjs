// Finds the Electron executable without `require('electron')`: that module tries to download
// the binary when it is missing, which hangs or fails on offline machines.
import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {string} root project root
 * @param {{ platform?: string, env?: Record<string, string | undefined> }} [context]
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function findElectronBinary(root, context = {}) {
  const platform = context.platform ?? process.platform;
  const env = context.env ?? process.env;
  const pkgDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json')))
    return { ok: false, reason: 'the electron package is not installed' };
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { ok: false, reason: 'its binary was never downloaded' };
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { ok: false, reason: `${binary} is missing` };
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return { ok: false, reason: `${binary} is not executable` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no graphical display (DISPLAY is not set)' };
  }
  return { ok: true, path: binary };
}
