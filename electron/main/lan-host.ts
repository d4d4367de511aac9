/**
 * "Sync with devices on this network" (off by default): while on, the app serves a second
 * embedded relay on every interface, restricted to the groups this device holds (allowRooms: a
 * stranger on the network cannot use it), announces it over mDNS under a random service id, and
 * browses for the relays of other devices. No business logic: the renderer says which groups to
 * serve (id + relay token hash, never the key) and decides which discovered relays to sync through.
 *
 * Kept free of the `electron` module so it is tested with a real relay and the in-memory discovery.
 */
import type { RoomFilter } from '../../sync-server/room-filter';
import {
  type LanDiscovery,
  randomServiceId,
  relayUrlOf,
  type Stoppable,
} from '../../shared/sync/lan-discovery';
import { lanTag } from '../../shared/sync/lan-tags';
import type { LanNearby, LanPeerInfo, LanRoom, LanStatus } from '../preload/api';

export interface LanRelayHandle {
  readonly port: number;
  close(): Promise<void>;
  /** A relay in another process cannot read `allowRooms` live: it is sent each change. */
  setRooms?(rooms: ReadonlyMap<string, Uint8Array>): void;
}

export type StartLanRelay = (options: {
  host: string;
  port: number;
  dataDir: null;
  allowRooms: RoomFilter;
}) => Promise<LanRelayHandle>;

export interface LanHostDeps {
  readonly startRelay: StartLanRelay;
  /** A fresh discovery (mDNS in the app) for each time the setting is switched on. */
  readonly discovery: () => LanDiscovery;
  /** The peers changed (the app forwards them to the renderer). */
  readonly onPeers: (peers: readonly LanPeerInfo[]) => void;
  /**
   * While LAN sync is off: the relays other devices announce, with their membership tags, so the
   * renderer can offer to turn it on when a member of one of its groups is here (lan-tags.ts).
   */
  readonly onNearby?: (nearby: readonly LanNearby[]) => void;
  /** Interface to serve on. Default every IPv4 interface. */
  readonly host?: string;
}

interface Running {
  readonly relay: LanRelayHandle;
  readonly discovery: LanDiscovery;
  readonly serviceId: string;
  readonly browsing: Stoppable;
  announced: Stoppable;
  /** The tags announced (sorted, joined), to re-announce only when they change. */
  tags: string;
}

interface Scouting {
  readonly discovery: LanDiscovery;
  readonly browsing: Stoppable;
}

/** A token hash the renderer sent: 64 hex characters → 32 bytes. */
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

export class LanHost {
  readonly #deps: LanHostDeps;
  /** Read by the relay at every upgrade, so changes apply at once. */
  readonly #rooms = new Map<string, Uint8Array>();
  /** Tag keys of the groups served (lan-tags.ts), by group id. */
  readonly #tagKeys = new Map<string, string>();
  readonly #peers = new Map<string, LanPeerInfo>();
  readonly #nearby = new Map<string, LanNearby>();
  #running: Running | null = null;
  #scouting: Scouting | null = null;
  /** Whether to look for other devices while LAN sync is off (see onNearby). */
  #scoutWanted = false;
  /** Serialises switching on and off. */
  #switching: Promise<unknown> = Promise.resolve();

  constructor(deps: LanHostDeps) {
    this.#deps = deps;
  }

  /** The groups this device holds: the only rooms its LAN relay serves. */
  setRooms(rooms: readonly LanRoom[]): void {
    this.#rooms.clear();
    this.#tagKeys.clear();
    for (const r of rooms) {
      this.#rooms.set(r.groupId, hexBytes(r.tokenHash));
      if (r.tagKey) this.#tagKeys.set(r.groupId, r.tagKey);
    }
    this.#running?.relay.setRooms?.(this.#rooms);
    this.#switching = this.#switching.then(() => this.#reannounce()).catch(() => undefined);
  }

  /** Relays of other devices seen while LAN sync is off (with their tags). */
  nearby(): LanNearby[] {
    return [...this.#nearby.values()];
  }

  /**
   * Looks (mDNS browse only: this device announces nothing) for other devices' LAN relays while
   * LAN sync is off, and reports them through onNearby. Stops while LAN sync is on.
   */
  setScouting(on: boolean): Promise<void> {
    this.#scoutWanted = on;
    const next = this.#switching.then(() => (on && !this.#running ? this.#scoutStart() : this.#scoutStop()));
    this.#switching = next.catch(() => undefined);
    return next;
  }

  status(): LanStatus {
    const r = this.#running;
    return {
      enabled: r !== null,
      ...(r ? { port: r.relay.port, serviceId: r.serviceId } : {}),
      peers: [...this.#peers.values()],
    };
  }

  setEnabled(on: boolean): Promise<LanStatus> {
    const next = this.#switching.then(() => (on ? this.#start() : this.#stop())).then(() => this.status());
    this.#switching = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<LanStatus> {
    this.#scoutWanted = false;
    return this.setEnabled(false);
  }

  #tagsFor(serviceId: string): string[] {
    return [...this.#tagKeys.values()].map((key) => lanTag(key, serviceId)).sort();
  }

  /** The served groups changed: announce their tags (mDNS has no in-place TXT change here, so re-publish). */
  async #reannounce(): Promise<void> {
    const r = this.#running;
    if (!r) return;
    const tags = this.#tagsFor(r.serviceId);
    if (tags.join(',') === r.tags) return;
    await r.announced.stop().catch(() => undefined);
    r.announced = await r.discovery.announce(r.serviceId, r.relay.port, tags);
    r.tags = tags.join(',');
  }

  async #scoutStart(): Promise<void> {
    if (this.#scouting || !this.#deps.onNearby) return;
    const discovery = this.#deps.discovery();
    const report = () => this.#deps.onNearby?.(this.nearby());
    const browsing = discovery.browse(
      (peer) => {
        this.#nearby.set(peer.serviceId, { serviceId: peer.serviceId, tags: [...(peer.tags ?? [])] });
        report();
      },
      (id) => {
        if (this.#nearby.delete(id)) report();
      },
    );
    this.#scouting = { discovery, browsing };
  }

  async #scoutStop(): Promise<void> {
    const s = this.#scouting;
    if (!s) return;
    this.#scouting = null;
    this.#nearby.clear();
    this.#deps.onNearby?.([]);
    await s.browsing.stop().catch(() => undefined);
    await s.discovery.close().catch(() => undefined);
  }

  async #start(): Promise<void> {
    if (this.#running) return;
    await this.#scoutStop();
    const relay = await this.#deps.startRelay({
      host: this.#deps.host ?? '0.0.0.0',
      port: 0,
      // Memory only: every group it serves lives on this device, which re-uploads it after a restart.
      dataDir: null,
      allowRooms: this.#rooms,
    });
    const discovery = this.#deps.discovery();
    try {
      const serviceId = randomServiceId();
      const tags = this.#tagsFor(serviceId);
      const announced = await discovery.announce(serviceId, relay.port, tags);
      // This device's own relay is a peer too (it must feed it), reached over loopback.
      this.#peers.set(serviceId, { serviceId, url: relayUrlOf('127.0.0.1', relay.port), own: true });
      const browsing = discovery.browse(
        (peer) => {
          if (peer.serviceId === serviceId) return;
          this.#peers.set(peer.serviceId, { serviceId: peer.serviceId, url: peer.url, own: false });
          this.#deps.onPeers(this.status().peers);
        },
        (id) => {
          if (id === serviceId || !this.#peers.delete(id)) return;
          this.#deps.onPeers(this.status().peers);
        },
      );
      this.#running = { relay, discovery, serviceId, browsing, announced, tags: tags.join(',') };
      this.#deps.onPeers(this.status().peers);
    } catch (error) {
      await discovery.close().catch(() => undefined);
      await relay.close();
      throw error;
    }
  }

  async #stop(): Promise<void> {
    const r = this.#running;
    if (!r) return;
    this.#running = null;
    this.#peers.clear();
    this.#deps.onPeers([]);
    for (const h of [r.announced, r.browsing]) await h.stop().catch(() => undefined);
    await r.discovery.close().catch(() => undefined);
    await r.relay.close();
    if (this.#scoutWanted) await this.#scoutStart();
  }
}
