/**
 * The production transport: y-websocket's provider talking to the relay at
 * `${relayUrl}/${groupId}?token=${token}`. Browsers use their WebSocket; Node passes `ws`.
 *
 * The relay's close codes (relay-close.ts) become typed errors. y-websocket stops for good on
 * any 44xx and otherwise retries within 2.5 s, which is wrong both ways for this relay: a busy
 * relay or a full room asks for minutes, and only a wrong invite key is final. So this module
 * decides those closes itself: it parks the provider and connects it again at the time the
 * relay named.
 */
import { WebsocketProvider } from 'y-websocket';
import { isManagedClose, readClose } from './relay-close';
import { decodeHandOverReply, HANDOVER_REPLY, MESSAGE_RELAY_TOKEN } from './relay-handover';
import { RelayTokenUse } from './relay-token-use';
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
  /** Clock for `retryAt` (ms). Default Date.now. */
  readonly now?: () => number;
}

export function websocketTransport(
  relayUrl: string,
  options: WebsocketTransportOptions = {},
): TransportFactory {
  const now = options.now ?? Date.now;
  return (ctx): Transport => {
    const tokens = new RelayTokenUse(ctx.relayTokens, ctx.token);
    const provider = new WebsocketProvider(relayUrl, ctx.groupId, ctx.doc, {
      awareness: ctx.awareness,
      params: { token: tokens.current },
      disableBc: !options.broadcastChannel,
      // The codes decided here must not be retried by the provider; every other close is
      // transient (4400, 1008, 1013 included), so nothing else stops for good.
      shouldReconnect: (event) => !isManagedClose(event.code),
      ...(options.WebSocketPolyfill ? { WebSocketPolyfill: options.WebSocketPolyfill } : {}),
      ...(options.maxBackoffTime !== undefined ? { maxBackoffTime: options.maxBackoffTime } : {}),
    });
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let destroyed = false;
    // The token the open connection was admitted with (a hand-over is signed for it), and the one
    // the latest socket presented (a refusal is about that one, even after the socket closed).
    let admittedWith: string | undefined;
    let presented = tokens.current;
    const present = () => {
      provider.params = { ...provider.params, token: tokens.current };
    };
    const handOver = () => {
      const from = admittedWith;
      const chain = ctx.relayTokens;
      if (from === undefined || chain === undefined) return;
      const due = tokens.handOverDue();
      if (due === null) return;
      void chain.handOverMessage(from, due).then(
        (message) => {
          if (!destroyed && admittedWith === from && provider.wsconnected) provider.ws?.send(message);
        },
        () => {
          // Signing failed (no key): the old token keeps working; nothing to report.
        },
      );
    };
    provider.messageHandlers[MESSAGE_RELAY_TOKEN] = (_encoder, decoder) => {
      const rest = decoder.arr.subarray(decoder.pos);
      decoder.pos = decoder.arr.length;
      const reply = rest[0] === HANDOVER_REPLY ? decodeHandOverReply(rest.subarray(1)) : null;
      if (reply?.outcome !== 'ok') return; // refused: the token in use still works; asked again next time
      tokens.handedOver(reply.epoch);
      present();
    };
    const unsubscribe = ctx.relayTokens?.subscribe(() => {
      if (provider.wsconnected) handOver();
    });
    // y-websocket reports 'disconnected' only for a socket that had opened, so a relay that cannot
    // be reached would read as 'connecting' forever. Here a closed attempt means offline, and the
    // background retries stay offline until one of them opens (no offline/connecting flicker).
    let unreachable = false;
    const report = (status: TransportStatus) => {
      if (status === 'connected') {
        unreachable = false;
        if (admittedWith === undefined) {
          admittedWith = tokens.current;
          presented = admittedWith;
          tokens.opened();
          handOver();
        }
      } else {
        admittedWith = undefined;
      }
      ctx.onStatus(status === 'connecting' && unreachable ? 'disconnected' : status);
    };
    // The provider starts connecting inside its constructor, before these listeners exist.
    report(provider.wsconnected ? 'connected' : 'connecting');
    provider.on('status', ({ status }) => report(status));
    provider.on('connection-close', (event) => {
      unreachable = true;
      report('disconnected');
      // Managed codes are handled by 'closed' below; the rest only need words when the relay gave a reason.
      if (!event || isManagedClose(event.code)) return;
      const verdict = readClose(event.code, event.reason, now());
      if (verdict.error) ctx.onError(verdict.error);
    });
    provider.on('sync', (synced) => {
      if (synced) tokens.admitted();
      ctx.onSynced(synced);
    });
    provider.on('connection-error', () =>
      ctx.onError({ code: 'unreachable', message: `Cannot reach the relay at ${relayUrl}` }),
    );
    // Emitted only for the managed codes (shouldReconnect said no): the provider has stopped.
    provider.on('closed', ({ code, reason }) => {
      if (destroyed) return;
      // Not this token (a relay that has not had the newest handed over, a LAN relay serving an
      // older one): the next older token is tried at once; only when none is left does it stand.
      if (code === 4401 || code === 4403) {
        const another = tokens.refused(presented);
        present();
        if (another) {
          provider.disconnect();
          provider.connect();
          return;
        }
      }
      const verdict = readClose(code, reason, now());
      provider.disconnect();
      if (verdict.error) ctx.onError(verdict.error);
      if (verdict.action === 'wait') {
        clearTimeout(retryTimer);
        retryTimer = setTimeout(
          () => {
            retryTimer = undefined;
            if (!destroyed) provider.connect();
          },
          Math.max(0, verdict.error.retryAt - now()),
        );
      } else if (verdict.action === 'backoff') {
        provider.connect();
      }
    });
    return {
      destroy() {
        destroyed = true;
        unsubscribe?.();
        clearTimeout(retryTimer);
        provider.destroy();
        ctx.onStatus('disconnected');
        ctx.onSynced(false);
      },
    };
  };
}
