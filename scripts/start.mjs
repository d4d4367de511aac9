// `npm start`: the desktop app when Electron can run on this machine, otherwise the same app
// in the browser (web build + relay + static server). `npm run web` (--web) goes straight there.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';
import { serveWeb } from './serve-web.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (path) => join(root, 'node_modules', path);

/** Runs a project-local CLI with this Node (no npx: no shell, same on every OS); exits on failure. */
function runNode(script, args) {
  const result = spawnSync(process.execPath, [bin(script), ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function startDesktop(electronPath) {
  runNode('electron-vite/bin/electron-vite.js', ['build']);
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electronPath, ['.'], { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function startWeb() {
  runNode('vite/bin/vite.js', ['build', '--config', 'renderer/vite.web.config.ts']);
  // The relay is TypeScript; tsx loads it in this process, no separate build step.
  const { tsImport } = await import('tsx/esm/api');
  const { startRelay } = await tsImport('../sync-server/relay.ts', import.meta.url);
  const relayOptions = { port: Number(process.env.RELAY_PORT ?? 4455), dataDir: join(root, 'relay-data') };
  const relay = await startRelay(relayOptions).catch((e) => {
    if (e?.code !== 'EADDRINUSE') throw e;
    console.warn(`Relay port ${relayOptions.port} is busy; using a free port instead.`);
    return startRelay({ ...relayOptions, port: 0 });
  });
  // A fixed web port on purpose: the browser keeps the app's data per origin (port included).
  const port = Number(process.env.WEB_PORT ?? 5173);
  const web = await serveWeb({ dir: join(root, 'out', 'web'), port, relayUrl: relay.url }).catch(
    async (e) => {
      await relay.close();
      if (e?.code === 'EADDRINUSE') {
        console.error(`Port ${port} is already in use; free it or set WEB_PORT to another port.`);
        process.exit(1);
      }
      throw e;
    },
  );
  console.log(`Tally is running at ${web.url} (relay ${relay.url}). Press Ctrl+C to stop.`);
  const stop = async () => {
    await web.close();
    await relay.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const electron = process.argv.includes('--web') ? null : findElectronBinary(root);
if (electron?.ok) {
  startDesktop(electron.path);
} else {
  if (electron) {
    console.log(
      `Electron is not available on this machine (${electron.reason}); serving the app in your browser instead`,
    );
  }
  await startWeb();
}
