/**
 * The renderer's side of "Sync with devices on this network" (docs/desktop.md): the desktop's
 * main process serves and finds LAN relays; this adds each one found as an extra transport of
 * every open group (LanLinks), and tells the main process which groups its own LAN relay may
 * serve (id + SHA-256 of the relay token; the group key never leaves the page).
 */
import { deriveRelayToken } from '../../../shared/crypto/group-key';
import { bytesToHex, hexToBytes, sha256 } from '../../../shared/crypto/hash';
import type { LanPeer } from '../../../shared/sync/lan-discovery';
import { type LinkableGroup, LanLinks } from '../../../shared/sync/lan-links';
import { groupsTagged, lanTagKey } from '../../../shared/sync/lan-tags';
import type { TransportFactory } from '../../../shared/sync/transport';

/** What the page needs of the desktop for LAN sync (window.tally, or a test double). */
export interface LanBridge {
  /** Calls `listener` with the relays found on the network whenever they change. */
  onPeers(listener: (peers: readonly LanPeer[]) => void): () => void;
  /** The groups this device holds: the only rooms its LAN relay serves (with their LAN tag keys). */
  setRooms(
    rooms: readonly { readonly groupId: string; readonly tokenHash: string; readonly tagKey: string }[],
  ): void;
  /** While LAN sync is off: other devices' relays seen on the network, with their membership tags. */
  onNearby?(listener: (nearby: readonly LanNearbyRelay[]) => void): () => void;
}

/** Another device's LAN relay seen while LAN sync is off (lan-tags.ts). */
export interface LanNearbyRelay {
  readonly serviceId: string;
  readonly tags: readonly string[];
}

/** What the relay stores for a group: SHA-256 of the relay token's bytes, in hex. */
export function tokenHashOf(groupKey: Uint8Array): string {
  return bytesToHex(sha256(hexToBytes(deriveRelayToken(groupKey), 32)));
}

export class LanSync {
  readonly #bridge: LanBridge;
  readonly #transport: (url: string) => TransportFactory | Promise<TransportFactory>;
  readonly #factories = new Map<string, TransportFactory>();
  readonly #links: LanLinks;
  readonly #groups = new Map<
    string,
    { readonly sync: LinkableGroup; readonly tokenHash: string; readonly tagKey: string }
  >();
  readonly #off: () => void;
  readonly #offNearby: () => void;
  #nearby: readonly LanNearbyRelay[] = [];
  readonly #nearbyListeners = new Set<(groupIds: readonly string[]) => void>();
  /** Peer lists apply one at a time (a transport's code may still be loading). */
  #applying: Promise<void> = Promise.resolve();

  constructor(bridge: LanBridge, transport: (url: string) => TransportFactory | Promise<TransportFactory>) {
    this.#bridge = bridge;
    this.#transport = transport;
    this.#links = new LanLinks({ transportTo: (url) => this.#factories.get(url)! });
    this.#off = bridge.onPeers((peers) => {
      this.#applying = this.#applying.then(() => this.#apply(peers)).catch(() => undefined);
    });
    this.#offNearby =
      bridge.onNearby?.((nearby) => {
        this.#nearby = nearby;
        this.#emitNearby();
      }) ?? (() => {});
  }

  /** The open groups a member of which is on this network (seen while LAN sync is off). */
  nearbyGroups(): string[] {
    const keys = new Map([...this.#groups].map(([id, g]) => [id, g.tagKey]));
    const found = new Set<string>();
    for (const relay of this.#nearby)
      for (const id of groupsTagged(keys, relay.serviceId, relay.tags)) found.add(id);
    return [...found].sort();
  }

  /** Calls `listener` with nearbyGroups() now and whenever it may have changed. */
  onNearbyGroups(listener: (groupIds: readonly string[]) => void): () => void {
    this.#nearbyListeners.add(listener);
    listener(this.nearbyGroups());
    return () => {
      this.#nearbyListeners.delete(listener);
    };
  }

  #emitNearby(): void {
    if (this.#nearbyListeners.size === 0) return;
    const groups = this.nearbyGroups();
    for (const listener of this.#nearbyListeners) listener(groups);
  }

  /** Resolves once every peer list received so far is applied (tests). */
  settled(): Promise<void> {
    return this.#applying;
  }

  /** Syncs `sync` through the LAN relays too, and lets this device's LAN relay serve the group. */
  attach(groupId: string, groupKey: Uint8Array, sync: LinkableGroup): void {
    this.detach(groupId);
    this.#groups.set(groupId, { sync, tokenHash: tokenHashOf(groupKey), tagKey: lanTagKey(groupKey) });
    this.#links.attach(sync);
    this.#sendRooms();
    this.#emitNearby();
  }

  /** The group closes or is removed: its LAN transports stop, and the LAN relay stops serving it. */
  detach(groupId: string): void {
    const g = this.#groups.get(groupId);
    if (!g) return;
    this.#groups.delete(groupId);
    this.#links.detach(g.sync);
    this.#sendRooms();
    this.#emitNearby();
  }

  stop(): void {
    this.#off();
    this.#offNearby();
    for (const id of [...this.#groups.keys()]) this.detach(id);
  }

  async #apply(peers: readonly LanPeer[]): Promise<void> {
    const now = new Map(peers.map((p) => [p.serviceId, p]));
    for (const known of this.#links.peers())
      if (!now.has(known.serviceId)) this.#links.peerDown(known.serviceId);
    for (const peer of now.values()) {
      if (!this.#factories.has(peer.url)) this.#factories.set(peer.url, await this.#transport(peer.url));
      this.#links.peerUp({ serviceId: peer.serviceId, url: peer.url });
    }
  }

  #sendRooms(): void {
    this.#bridge.setRooms(
      [...this.#groups].map(([groupId, g]) => ({ groupId, tokenHash: g.tokenHash, tagKey: g.tagKey })),
    );
  }
}
