/**
 * Keeps every open group's LAN transports in line with the relays discovered on the network:
 * a relay that appears becomes an extra transport (`lan:<serviceId>`) of each group, one that
 * goes is removed. A LAN relay serves only its host's groups, so a group its host does not hold
 * is closed 4403 and waits (relay-close.ts): nothing is known in advance about who holds what,
 * and nothing needs to be.
 */
import type { LanPeer } from './lan-discovery';
import type { TransportFactory } from './transport';

/** What LanLinks needs of a GroupSync. */
export interface LinkableGroup {
  addTransport(id: string, factory: TransportFactory): void;
  removeTransport(id: string): boolean;
}

export interface LanLinksOptions {
  /** The transport to a relay at `url` (websocketTransport in the app and the headless client). */
  readonly transportTo: (url: string) => TransportFactory;
  /** This device's own announcements, never used as a transport (it syncs with itself otherwise). */
  readonly isOwn?: (serviceId: string) => boolean;
}

/** Transport id of a discovered relay. */
export const lanTransportId = (serviceId: string): string => `lan:${serviceId}`;

export class LanLinks {
  readonly #o: LanLinksOptions;
  readonly #peers = new Map<string, LanPeer>();
  readonly #groups = new Set<LinkableGroup>();

  constructor(options: LanLinksOptions) {
    this.#o = options;
  }

  /** Relays currently known (own ones excluded). */
  peers(): LanPeer[] {
    return [...this.#peers.values()];
  }

  /** Starts using every known relay for `group`, and the ones found later. */
  attach(group: LinkableGroup): void {
    this.#groups.add(group);
    for (const peer of this.#peers.values())
      group.addTransport(lanTransportId(peer.serviceId), this.#o.transportTo(peer.url));
  }

  /** Stops `group`'s LAN transports (the group is closing or leaves LAN sync). */
  detach(group: LinkableGroup): void {
    if (!this.#groups.delete(group)) return;
    for (const id of this.#peers.keys()) group.removeTransport(lanTransportId(id));
  }

  peerUp(peer: LanPeer): void {
    if (this.#o.isOwn?.(peer.serviceId)) return;
    const known = this.#peers.get(peer.serviceId);
    if (known?.url === peer.url) return;
    this.#peers.set(peer.serviceId, peer);
    for (const g of this.#groups)
      g.addTransport(lanTransportId(peer.serviceId), this.#o.transportTo(peer.url));
  }

  peerDown(serviceId: string): void {
    if (!this.#peers.delete(serviceId)) return;
    for (const g of this.#groups) g.removeTransport(lanTransportId(serviceId));
  }

  /** Forgets every relay and stops every group's LAN transports. */
  clear(): void {
    for (const id of [...this.#peers.keys()]) this.peerDown(id);
  }
}
