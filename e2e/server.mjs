// The end-to-end tests' backend: an in-memory relay plus the built web app, on fixed loopback
// ports so Playwright's webServer can wait for them. Assumes `npm run build:web` already ran.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveWeb } from '../scripts/serve-web.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { tsImport } = await import('tsx/esm/api');
const { startRelay } = await tsImport('../sync-server/relay.ts', import.meta.url);

// Every test's browser connects from 127.0.0.1 and makes new groups: the per-address room
// budget (one household's, by default) is lifted for this one test relay.
const relay = await startRelay({
  port: Number(process.env.E2E_RELAY_PORT ?? 4466),
  dataDir: null,
  limits: { roomBurstPerIp: 10_000, roomBurstPerPrefix: 10_000 },
});
const web = await serveWeb({
  dir: join(root, 'out', 'web'),
  port: Number(process.env.E2E_WEB_PORT ?? 4173),
  relayUrl: relay.url,
});
console.log(`e2e server: app ${web.url}, relay ${relay.url}`);

const stop = async () => {
  await web.close();
  await relay.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
