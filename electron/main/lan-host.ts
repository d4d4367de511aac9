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
import type { LanPeerInfo, LanRoom, LanStatus } from '../preload/api';

export interface LanRelayHandle {
  readonly port: number;
  close(): Promise<void>;
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
  /** Interface to serve on. Default every IPv4 interface. */
  readonly host?: string;
}

interface Running {
  readonly relay: LanRelayHandle;
  readonly discovery: LanDiscovery;
  readonly serviceId: string;
  readonly handles: readonly Stoppable[];
}

/** A token hash the renderer sent: 64 hex characters → 32 bytes. */
const hexBytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex, 'hex'));

export class LanHost {
  readonly #deps: LanHostDeps;
  /** Read by the relay at every upgrade, so changes apply at once. */
  readonly #rooms = new Map<string, Uint8Array>();
  readonly #peers = new Map<string, LanPeerInfo>();
  #running: Running | null = null;
  /** Serialises switching on and off. */
  #switching: Promise<unknown> = Promise.resolve();

  constructor(deps: LanHostDeps) {
    this.#deps = deps;
  }

  /** The groups this device holds: the only rooms its LAN relay serves. */
  setRooms(rooms: readonly LanRoom[]): void {
    this.#rooms.clear();
    for (const r of rooms) this.#rooms.set(r.groupId, hexBytes(r.tokenHash));
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

  close(): Promise<LanStatus> {
    return this.setEnabled(false);
  }

  async #start(): Promise<void> {
    if (this.#running) return;
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
      const announced = await discovery.announce(serviceId, relay.port);
      // This device's own relay is a peer too (it must feed it), reached over loopback.
      this.#peers.set(serviceId, { serviceId, url: relayUrlOf('127.0.0.1', relay.port), own: true });
      const browsing = discovery.browse(
        (peer) => {
          if (peer.serviceId === serviceId) return;
          this.#peers.set(peer.serviceId, { ...peer, own: false });
          this.#deps.onPeers(this.status().peers);
        },
        (id) => {
          if (id === serviceId || !this.#peers.delete(id)) return;
          this.#deps.onPeers(this.status().peers);
        },
      );
      this.#running = { relay, discovery, serviceId, handles: [announced, browsing] };
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
    for (const h of r.handles) await h.stop().catch(() => undefined);
    await r.discovery.close().catch(() => undefined);
    await r.relay.close();
  }
}
