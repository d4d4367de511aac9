/**
 * The seam between "find devices on this network" and everything else. The desktop implements it
 * with mDNS/DNS-SD (sync-server/bonjour-discovery.ts); tests use MemoryDiscovery.
 *
 * An announcement says only "a Tally relay listens on this port", under a random service id made
 * fresh for each run, with membership tags only group members can read (lan-tags.ts): never a
 * group id, a group or member name, or anything that would let a stranger on the café's Wi-Fi
 * tell who is there or link two sessions. Who is on the other end is
 * learned only after connecting, from presence in a group both hold (GroupSync.presenceVia), and
 * a relay found this way serves only its host's groups to holders of their tokens
 * (sync-server/room-filter.ts). Nothing found here is trusted: the entries are the same signed,
 * encrypted envelopes as through any relay.
 */

/** DNS-SD service type: `_tally-sync._tcp`. */
export const LAN_SERVICE_TYPE = 'tally-sync';

/** A relay seen on the network. `url` is a ws:// base URL (clients append /<groupId>?token=…). */
export interface LanPeer {
  readonly serviceId: string;
  readonly url: string;
  /** Membership tags of the groups it serves (lan-tags.ts); empty when it gives none. */
  readonly tags?: readonly string[];
}

export interface Stoppable {
  stop(): Promise<void>;
}

export interface LanDiscovery {
  /**
   * Announces this device's relay on `port` under `serviceId` until stopped, with the membership
   * tags of the groups it serves (lan-tags.ts).
   */
  announce(serviceId: string, port: number, tags?: readonly string[]): Promise<Stoppable>;
  /**
   * Reports relays appearing (`onUp`, again when one's address changes) and going (`onDown`).
   * This device's own announcements are reported too: callers skip their own service id.
   */
  browse(onUp: (peer: LanPeer) => void, onDown: (serviceId: string) => void): Stoppable;
  /** Stops everything this discovery started. */
  close(): Promise<void>;
}

const SERVICE_ID = /^[0-9a-f]{32}$/;

/** A fresh random service id (128 bits, hex): nothing about the device or its groups. */
export function randomServiceId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** True for the shape `randomServiceId` makes; anything else seen on the network is ignored. */
export function isServiceId(value: string): boolean {
  return SERVICE_ID.test(value);
}

/** ws:// URL of a relay at `address` (IPv4, or IPv6 in brackets) and `port`. */
export function relayUrlOf(address: string, port: number): string {
  return address.includes(':') ? `ws://[${address}]:${port}` : `ws://${address}:${port}`;
}

interface Listing {
  readonly peer: LanPeer;
}

/**
 * In-process stand-in for a network: every MemoryDiscovery made from one hub sees the others'
 * announcements (each device announces on its own `host`, e.g. 127.0.0.2).
 */
export class MemoryDiscoveryHub {
  readonly #listings = new Map<string, Listing>();
  readonly #browsers = new Set<{ up: (p: LanPeer) => void; down: (id: string) => void }>();

  /** A device on this network reachable at `host`. */
  discovery(host: string): LanDiscovery {
    const mine = new Set<Stoppable>();
    const hub = this;
    return {
      async announce(serviceId, port, tags = []) {
        const peer: LanPeer = { serviceId, url: relayUrlOf(host, port), tags: [...tags] };
        hub.#listings.set(serviceId, { peer });
        for (const b of hub.#browsers) b.up(peer);
        const handle: Stoppable = {
          async stop() {
            if (!mine.delete(handle)) return;
            hub.#listings.delete(serviceId);
            for (const b of hub.#browsers) b.down(serviceId);
          },
        };
        mine.add(handle);
        return handle;
      },
      browse(onUp, onDown) {
        const browser = { up: onUp, down: onDown };
        hub.#browsers.add(browser);
        for (const { peer } of hub.#listings.values()) onUp(peer);
        const handle: Stoppable = {
          async stop() {
            mine.delete(handle);
            hub.#browsers.delete(browser);
          },
        };
        mine.add(handle);
        return handle;
      },
      async close() {
        for (const h of [...mine]) await h.stop();
      },
    };
  }
}
