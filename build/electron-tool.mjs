// `npm run dev` and `npm run dist` where Electron cannot be had (no binary, offline): one clear
// line saying what is missing and how to get it, instead of a stack trace.
// Usage: node build/electron-tool.mjs dev | dist [electron-builder arguments…]
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { findElectronBinary } from '../scripts/electron-binary.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The line `npm run dev` prints when it cannot start Electron, or null when it can. */
export function devProblem(binary) {
  if (binary.ok) return null;
  return (
    `npm run dev cannot start Electron (${binary.reason}): get it with \`node node_modules/electron/install.js\` ` +
    'with network access (or set ELECTRON_MIRROR), or use `npm run web` for the same app in a browser.'
  );
}

// What electron-builder (via @electron/get) prints when it cannot fetch Electron's release zip.
const DOWNLOAD_FAILURE =
  /(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|getaddrinfo|socket hang up|HTTPError|cannot download|unable to (?:download|get)|electron-v[\d.]+-[\w-]+\.zip)/i;

/** The line `npm run dist` prints when packaging failed for want of Electron, or null. */
export function distProblem(stderr, platform = process.platform, arch = process.arch) {
  if (!DOWNLOAD_FAILURE.test(stderr)) return null;
  return (
    `npm run dist needs Electron's release zip for ${platform}-${arch}, which electron-builder downloads ` +
    'from GitHub and could not: run it once with network access (the zip is cached), or point ' +
    'ELECTRON_MIRROR / ELECTRON_CACHE at a copy.'
  );
}

const runNode = (script, args, options = {}) =>
  spawnSync(process.execPath, [join(root, 'node_modules', script), ...args], { cwd: root, ...options });

function main() {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'dev') {
    const problem = devProblem(findElectronBinary(root));
    if (problem) {
      console.error(problem);
      process.exit(1);
    }
    process.exit(
      runNode('electron-vite/bin/electron-vite.js', ['dev', ...rest], { stdio: 'inherit' }).status ?? 1,
    );
  }
  if (mode === 'dist') {
    const build = runNode('electron-vite/bin/electron-vite.js', ['build'], { stdio: 'inherit' });
    if (build.status !== 0) process.exit(build.status ?? 1);
    const args = ['--config', 'electron-builder.yml', ...rest];
    const child = spawn(process.execPath, [join(root, 'node_modules', 'electron-builder/cli.js'), ...args], {
      cwd: root,
      stdio: ['inherit', 'pipe', 'pipe'],
    });
    // Progress lines pass through as they come; from electron-builder's first error line (⨯) on,
    // output is held back, to be replaced by one line when Electron could not be downloaded.
    let held = '';
    const relay = (out) => (chunk) => {
      const text = chunk.toString();
      if (held) {
        held += text;
        return;
      }
      const at = text.search(/^\s*⨯/m);
      if (at === -1) out.write(text);
      else {
        out.write(text.slice(0, at));
        held = text.slice(at);
      }
    };
    child.stdout.on('data', relay(process.stdout));
    child.stderr.on('data', relay(process.stderr));
    child.on('exit', (code) => {
      const problem = code === 0 ? null : distProblem(held);
      if (problem) console.error(problem);
      else process.stderr.write(held);
      process.exit(code ?? 1);
    });
    return;
  }
  console.error('Usage: node build/electron-tool.mjs dev | dist [electron-builder arguments…]');
  process.exit(2);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
