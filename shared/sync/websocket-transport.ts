/**
 * The production transport: y-websocket's provider talking to the relay at
 * `${relayUrl}/${groupId}?token=${token}`. Browsers use their WebSocket; Node passes `ws`.
 */
import { WebsocketProvider } from 'y-websocket';
import type { Transport, TransportFactory, TransportStatus } from './transport';

type WebSocketClass = NonNullable<ConstructorParameters<typeof WebsocketProvider>[3]>['WebSocketPolyfill'];

export interface WebsocketTransportOptions {
  /** A WebSocket implementation for runtimes without a global one (Node: the `ws` package). */
  readonly WebSocketPolyfill?: WebSocketClass;
  /** Cap on the reconnect backoff (ms); y-websocket's default is 2500. */
  readonly maxBackoffTime?: number;
  /**
   * Cross-tab BroadcastChannel sync. Off by default: each device talks through the relay, and
   * headless clients sharing one Node process must not bypass it.
   */
  readonly broadcastChannel?: boolean;
}

export function websocketTransport(
  relayUrl: string,
  options: WebsocketTransportOptions = {},
): TransportFactory {
  return (ctx): Transport => {
    const provider = new WebsocketProvider(relayUrl, ctx.groupId, ctx.doc, {
      awareness: ctx.awareness,
      params: { token: ctx.token },
      disableBc: !options.broadcastChannel,
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      ...(options.maxBackoffTime !== undefined ? { maxBackoffTime: options.maxBackoffTime } : {}),
    });
    // y-websocket reports 'disconnected' only for a socket that had opened, so a relay that cannot
    // be reached would read as 'connecting' forever. Here a closed attempt means offline, and the
    // background retries stay offline until one of them opens (no offline/connecting flicker).
    let unreachable = false;
    const report = (status: TransportStatus) => {
      if (status === 'connected') unreachable = false;
      ctx.onStatus(status === 'connecting' && unreachable ? 'disconnected' : status);
    };
    // The provider starts connecting inside its constructor, before these listeners exist.
    report(provider.wsconnected ? 'connected' : 'connecting');
    provider.on('status', ({ status }) => report(status));
    provider.on('connection-close', () => {
      unreachable = true;
      report('disconnected');
    });
    provider.on('sync', (synced) => ctx.onSynced(synced));
    provider.on('connection-error', () => ctx.onError(`Cannot reach the relay at ${relayUrl}`));
    // A 44xx close is the relay saying "never" (bad token, room too big): y-websocket stops retrying.
    provider.on('closed', ({ code, reason }) =>
      ctx.onError(`The relay refused the connection (${code}${reason ? `: ${reason}` : ''})`),
    );
    return {
      destroy() {
        provider.destroy();
        ctx.onStatus('disconnected');
        ctx.onSynced(false);
      },
    };
  };
}
