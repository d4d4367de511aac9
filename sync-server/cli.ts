/**
 * `npm run relay`: starts the relay from environment variables (see docs/relay.md) and
 * stops it gracefully on SIGTERM/SIGINT (exit 0). Bad configuration exits 2, a failed
 * start or shutdown exits 1.
 */
import pino from 'pino';
import { isWalletError } from '../shared/errors';
import { relaySettingsFromEnv } from './config';
import { startRelay } from './relay';

/** A shutdown that takes longer than this is cut short (exit 1). */
const SHUTDOWN_TIMEOUT_MS = 15_000;

async function main(): Promise<void> {
  let settings: ReturnType<typeof relaySettingsFromEnv>;
  try {
    settings = relaySettingsFromEnv(process.env);
  } catch (error) {
    process.stderr.write(`relay: ${isWalletError(error) ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const log = pino({ name: 'relay', level: settings.logLevel });
  let relay: Awaited<ReturnType<typeof startRelay>>;
  try {
    relay = await startRelay({
      host: settings.host,
      port: settings.port,
      dataDir: settings.dataDir,
      limits: settings.limits,
      logger: log,
      ...(settings.redisUrl !== undefined ? { redisUrl: settings.redisUrl } : {}),
      ...(settings.trustedProxies !== undefined ? { trustedProxies: settings.trustedProxies } : {}),
    });
  } catch (error) {
    log.fatal({ err: error }, 'relay failed to start');
    process.exit(1);
  }
  // Never log REDIS_URL: it may carry a password.
  const storage =
    settings.redisUrl !== undefined ? { storage: 'redis' } : { dataDir: settings.dataDir ?? ':memory:' };
  log.info({ url: relay.url, ...storage }, 'relay ready');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping relay');
    setTimeout(() => {
      log.error('shutdown timed out');
      process.exit(1);
    }, SHUTDOWN_TIMEOUT_MS).unref();
    relay.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
