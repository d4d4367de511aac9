import { join } from 'node:path';
import { err, ok, type Result } from '../../shared/errors';

/**
 * A fixed default port keeps the relay URL stable across restarts (groups remember it); when
 * something else holds the port the relay falls back to a free one rather than not starting.
 */
export const DEFAULT_RELAY_PORT = 4455;
export const RELAY_HOST = '127.0.0.1';

export type RelayConfig =
  | { readonly mode: 'external'; readonly url: string }
  | { readonly mode: 'embedded'; readonly host: string; readonly port: number; readonly dataDir: string };

export type RelayConfigErrorCode = 'RELAY_CONFIG_INVALID';

/**
 * Where the app's relay comes from (it runs in a utility process: relay-processes.ts). TALLY_RELAY_URL (ws:// or wss://) points at an existing
 * relay and nothing is started; otherwise the relay runs in-process on 127.0.0.1:TALLY_RELAY_PORT
 * (default 4455, 0 = any free port) with its data under `<userData>/relay`.
 */
export function resolveRelayConfig(
  env: Readonly<Record<string, string | undefined>>,
  userDataDir: string,
): Result<RelayConfig, RelayConfigErrorCode> {
  const external = env.TALLY_RELAY_URL?.trim();
  if (external) {
    let url: URL;
    try {
      url = new URL(external);
    } catch {
      return err('RELAY_CONFIG_INVALID', 'TALLY_RELAY_URL is not a URL.');
    }
    if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
      return err('RELAY_CONFIG_INVALID', 'TALLY_RELAY_URL must start with ws:// or wss://.');
    }
    if (url.username || url.password) {
      return err('RELAY_CONFIG_INVALID', 'TALLY_RELAY_URL must not contain credentials.');
    }
    if (url.search || url.hash) {
      return err('RELAY_CONFIG_INVALID', 'TALLY_RELAY_URL must not contain a query or fragment.');
    }
    // Same shape as the embedded relay's URL (no trailing slash): clients append "/<group id>".
    return ok({ mode: 'external', url: `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}` });
  }
  const rawPort = env.TALLY_RELAY_PORT?.trim();
  const port = rawPort ? Number(rawPort) : DEFAULT_RELAY_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    return err('RELAY_CONFIG_INVALID', 'TALLY_RELAY_PORT must be an integer from 0 to 65535.');
  }
  return ok({ mode: 'embedded', host: RELAY_HOST, port, dataDir: join(userDataDir, 'relay') });
}
