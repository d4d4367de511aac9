/**
 * A device's network cable. `context.setOffline(true)` fails new connections, WebSocket
 * handshakes included, but leaves WebSockets that are already open running (Playwright #4910,
 * Chromium's DevTools offline emulation), so a device "offline" that way would keep syncing.
 * Every WebSocket of the context therefore goes through a route (Playwright still opens the real
 * socket in the page, so the emulation applies to it); going offline also closes the open ones.
 */
import type { BrowserContext, WebSocketRoute } from '@playwright/test';

export interface NetworkSwitch {
  readonly offline: boolean;
  setOffline(offline: boolean): Promise<void>;
}

export async function networkSwitch(context: BrowserContext): Promise<NetworkSwitch> {
  let offline = false;
  let open: WebSocketRoute[] = [];

  await context.routeWebSocket(/^wss?:\/\//, (ws) => {
    ws.connectToServer();
    open.push(ws);
  });

  return {
    get offline() {
      return offline;
    },
    async setOffline(value: boolean) {
      offline = value;
      await context.setOffline(value);
      if (!value) return;
      const cut = open;
      open = [];
      // 1006-like "connection lost" from the page's point of view; the app's transport retries.
      await Promise.all(cut.map((ws) => ws.close({ code: 1001, reason: 'offline' }).catch(() => undefined)));
    },
  };
}
