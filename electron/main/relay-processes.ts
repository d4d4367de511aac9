/**
 * The app's two relays as supervised utility processes (relay-supervisor.ts): the loopback relay
 * every group syncs through by default, and the LAN relay of "Sync with devices on this network".
 */
import type { RoomFilter } from '../../sync-server/room-filter';
import type { RoomList } from '../relay-process/protocol';
import type { StartLanRelay } from './lan-host';
import type { RelayConfig } from './relay-host';
import { type ForkRelayChild, type RelayAddress, SupervisedRelay } from './relay-supervisor';

export interface EmbeddedRelay {
  /** Where it listens now (kept while a restart is pending). */
  address(): RelayAddress | null;
  /** Stops it (its store flushed), waiting a few seconds at most. */
  close(): Promise<void>;
}

/** Starts the loopback relay; rejects when it cannot start at all (the app runs without it). */
export async function startEmbeddedRelay(
  config: Extract<RelayConfig, { mode: 'embedded' }>,
  fork: ForkRelayChild,
  log: (message: string) => void,
): Promise<EmbeddedRelay> {
  const relay = new SupervisedRelay({
    fork,
    request: {
      host: config.host,
      port: config.port,
      dataDir: config.dataDir,
      fallbackToFreePort: true,
      allowRooms: null,
    },
    log,
  });
  await relay.start();
  return { address: () => relay.address, close: () => relay.close() };
}

/** The served rooms as the process protocol carries them (hex token hashes). */
function roomListOf(filter: RoomFilter): RoomList {
  if (typeof filter === 'function') throw new TypeError('A relay in its own process needs a room list.');
  return [...filter].map(([groupId, hash]) => [groupId, Buffer.from(hash).toString('hex')]);
}

/**
 * LanHost's relay, in its own process. Its port is not moved on restart (the mDNS announcement
 * names it): a restart waits, with backoff, until the port is free again.
 */
export function lanRelayStarter(fork: ForkRelayChild, log: (message: string) => void): StartLanRelay {
  return async (options) => {
    const relay = new SupervisedRelay({
      fork,
      request: {
        host: options.host,
        port: options.port,
        dataDir: null,
        fallbackToFreePort: false,
        allowRooms: roomListOf(options.allowRooms),
      },
      log,
    });
    const address = await relay.start();
    return {
      port: address.port,
      close: () => relay.close(),
      setRooms: (rooms) => relay.setRooms(roomListOf(rooms)),
    };
  };
}
