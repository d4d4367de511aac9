import type { Logger } from 'pino';
import * as Y from 'yjs';
import { WalletError } from '../shared/errors';
import { RoomLifecycle } from './room-lifecycle';
import { type LoadedRoom, type RoomStore, TOKENS_META, tokenSetOfMetas } from './room-store';
import { type IntegrityLedger, inspectLoadedDoc, mergeSv, svShortfall } from './store-integrity';
import type { TokenSet } from './token-set';

type StateVector = Map<number, number>;

/** Rooms deleted per sweep at most: each deletion is a LevelDB range delete. */
const SWEEP_DELETE_PER_TICK = 100;

/** What the operator reads in the log next to any storage damage. */
export const OPERATOR_HINT =
  'see docs/relay.md "What an operator does on corruption": stop the relay, copy the data folder, ' +
  'run LevelDB repair on it, start it again; devices upload what was lost';

export interface ManagedStoreOptions {
  readonly provisionalTtlMs: number;
  readonly idleTtlMs: number;
  readonly log: Logger;
}

interface Healing {
  readonly target: StateVector;
  readonly findings: readonly string[];
}

/**
 * The store the relay uses: a RoomStore with room life cycles (provisional flag, last use,
 * expiry) and integrity checks (at start, at each load, healing tracked until clients have
 * uploaded what was lost) around a plain LevelDB or memory store.
 */
export class ManagedRoomStore implements RoomStore {
  readonly lifecycle: RoomLifecycle;
  /** Rooms whose token hash cannot be read: refused until the operator acts. */
  private readonly damagedTokens = new Set<string>();
  private readonly healing = new Map<string, Healing>();
  /** State vectors of loaded rooms, kept up to date from what is written. */
  private readonly held = new Map<string, StateVector>();
  /** Rooms being deleted by the sweeper: an upgrade for one waits until it is gone. */
  private readonly deleting = new Map<string, Promise<void>>();
  expiredCount = 0;
  /** Damage findings so far (one per finding, for relay_storage_damage_total). */
  damageCount = 0;

  private constructor(
    private readonly inner: RoomStore,
    private readonly ledger: IntegrityLedger,
    private readonly options: ManagedStoreOptions,
  ) {
    this.lifecycle = new RoomLifecycle(inner, {
      provisionalTtlMs: options.provisionalTtlMs,
      idleTtlMs: options.idleTtlMs,
    });
  }

  /**
   * Checks the store at start: every room's meta must read, with a token hash; every room the
   * ledger knows must still be listed. Damage is logged and counted; it does not stop the start.
   */
  static async open(
    inner: RoomStore,
    ledgerSource: { ledger: IntegrityLedger; problem: string | null },
    options: ManagedStoreOptions,
  ): Promise<ManagedRoomStore> {
    const store = new ManagedRoomStore(inner, ledgerSource.ledger, options);
    const { log } = options;
    if (ledgerSource.problem !== null) {
      log.error({ problem: ledgerSource.problem }, 'relay integrity record unreadable; starting without it');
    }
    const listed = new Set(inner.listRooms());
    for (const roomId of listed) {
      let metas: Map<string, unknown>;
      try {
        metas = await inner.readMetas(roomId);
      } catch (error) {
        store.tokenDamaged(roomId, `room meta unreadable (${String((error as Error).message)})`);
        continue;
      }
      if (!(metas.get('tokenHash') instanceof Uint8Array)) {
        store.tokenDamaged(roomId, 'room token hash missing or unreadable');
      } else {
        try {
          tokenSetOfMetas(metas.get('tokenHash'), metas.get(TOKENS_META));
        } catch (error) {
          store.tokenDamaged(roomId, `room token set unreadable (${String((error as Error).message)})`);
        }
      }
      store.lifecycle.adopt(roomId, metas);
    }
    for (const roomId of ledgerSource.ledger.roomIds()) {
      if (listed.has(roomId)) continue;
      store.damage(roomId, ['room missing from the store (it was stored before)'], 'room missing at start');
      // The first device with the group's token re-creates it, then uploads what it holds.
    }
    log.info({ rooms: listed.size, damagedRooms: store.damagedTokens.size }, 'relay store checked');
    return store;
  }

  get roomCount(): number {
    return this.inner.roomCount;
  }

  get healingCount(): number {
    return this.healing.size;
  }

  listRooms(): string[] {
    return this.inner.listRooms();
  }

  /** Resolves when the room is not being deleted (upgrades wait on this before the token check). */
  settled(roomId: string): Promise<void> {
    return this.deleting.get(roomId) ?? Promise.resolve();
  }

  isTokenDamaged(roomId: string): boolean {
    return this.damagedTokens.has(roomId);
  }

  async readTokenHash(roomId: string): Promise<Uint8Array | undefined> {
    if (this.damagedTokens.has(roomId)) throw damagedToken(roomId);
    try {
      return await this.inner.readTokenHash(roomId);
    } catch (error) {
      if (!this.inner.listRooms().includes(roomId)) throw error;
      this.tokenDamaged(roomId, `room token hash unreadable (${String((error as Error).message)})`);
      throw damagedToken(roomId);
    }
  }

  async readTokenSet(roomId: string): Promise<TokenSet | undefined> {
    if (this.damagedTokens.has(roomId)) throw damagedToken(roomId);
    try {
      return await this.inner.readTokenSet(roomId);
    } catch (error) {
      if (!this.inner.listRooms().includes(roomId)) throw error;
      this.tokenDamaged(roomId, `room token set unreadable (${String((error as Error).message)})`);
      throw damagedToken(roomId);
    }
  }

  writeTokenSet(roomId: string, records: TokenSet): Promise<void> {
    return this.inner.writeTokenSet(roomId, records);
  }

  readMetas(roomId: string): Promise<Map<string, unknown>> {
    return this.inner.readMetas(roomId);
  }

  writeMeta(roomId: string, key: string, value: number | boolean): Promise<void> {
    return this.inner.writeMeta(roomId, key, value);
  }

  createRoom(roomId: string, tokenHash: Uint8Array): Promise<void> {
    // Life-cycle keys are queued before the room (and its listing key), so a crash in between
    // cannot leave a listed room without its provisional flag.
    const keys = this.lifecycle.created(roomId);
    const created = this.inner.createRoom(roomId, tokenHash);
    return Promise.all([keys, created]).then(
      () => {},
      (error: unknown) => {
        this.lifecycle.forget(roomId);
        throw error;
      },
    );
  }

  async loadRoom(roomId: string): Promise<Y.Doc> {
    return (await this.loadRoomChecked(roomId)).doc;
  }

  /**
   * Loads what can be read and checks it (unreadable records, missing predecessors, fewer
   * items than the ledger recorded). A damaged room is still served: each client's sync sends
   * the relay what it lacks, so the room heals as its devices connect.
   */
  async loadRoomChecked(roomId: string): Promise<LoadedRoom> {
    const loaded = await this.inner.loadRoomChecked(roomId);
    this.lifecycle.touched(roomId);
    const { findings, target } = inspectLoadedDoc(loaded.doc, this.ledger.expected(roomId));
    const all = [...loaded.unreadable, ...findings];
    const held = Y.decodeStateVector(Y.encodeStateVector(loaded.doc));
    this.held.set(roomId, held);
    if (all.length > 0) {
      this.damage(roomId, all, 'room data damaged; serving what could be read, healing from clients');
      this.healing.set(roomId, { target, findings: all });
    } else {
      this.ledger.record(roomId, held);
    }
    return { doc: loaded.doc, unreadable: loaded.unreadable };
  }

  async appendUpdate(roomId: string, update: Uint8Array): Promise<void> {
    await this.inner.appendUpdate(roomId, update);
    // The clocks this update reaches per writer (encodeStateVectorFromUpdate would count only
    // writers whose structs start at clock 0, i.e. none of an incremental update's).
    const sv = Y.parseUpdateMeta(update).to;
    this.ledger.record(roomId, sv);
    const held = this.held.get(roomId);
    if (held !== undefined) mergeSv(held, sv);
    // Interim signal until room admission reports admitted values: a value in `entries`.
    if (this.lifecycle.isProvisional(roomId) && addsEntry(update)) this.markRoomActive(roomId);
    const healing = this.healing.get(roomId);
    if (healing !== undefined && held !== undefined && svShortfall(held, healing.target) === null) {
      this.healing.delete(roomId);
      this.options.log.info({ room: roomId }, 'room healed: clients uploaded what was missing');
    }
  }

  /** The room received a valid group entry: no longer provisional (the admission hook). */
  markRoomActive(roomId: string): void {
    this.lifecycle.markActive(roomId);
  }

  /** The room's last connection closed (or its first opened): restart its idle clock. */
  roomTouched(roomId: string, unloaded: boolean): void {
    this.lifecycle.touched(roomId);
    if (unloaded) this.held.delete(roomId);
  }

  async deleteRoom(roomId: string): Promise<void> {
    this.lifecycle.forget(roomId);
    this.ledger.forget(roomId);
    this.healing.delete(roomId);
    this.held.delete(roomId);
    this.damagedTokens.delete(roomId);
    await this.inner.deleteRoom(roomId);
  }

  /**
   * One sweep: deletes up to SWEEP_DELETE_PER_TICK expired rooms that nobody uses. `inUse` is
   * asked synchronously right before each room is marked as being deleted, so an upgrade that
   * arrives later waits for `settled` and then finds no room.
   */
  async sweep(inUse: (roomId: string) => boolean, forgetAccess: (roomId: string) => void): Promise<number> {
    let deleted = 0;
    for (const roomId of this.lifecycle.expired(SWEEP_DELETE_PER_TICK, inUse)) {
      if (inUse(roomId) || this.deleting.has(roomId)) continue;
      const provisional = this.lifecycle.isProvisional(roomId);
      forgetAccess(roomId);
      const done = this.deleteRoom(roomId).finally(() => this.deleting.delete(roomId));
      this.deleting.set(roomId, done);
      try {
        await done;
        deleted += 1;
        this.expiredCount += 1;
        this.options.log.info({ room: roomId, provisional }, 'room expired and deleted');
      } catch (error) {
        this.options.log.error({ room: roomId, err: error }, 'cannot delete expired room');
      }
    }
    return deleted;
  }

  async close(): Promise<void> {
    await Promise.all(this.deleting.values());
    await this.ledger.flush().catch((error: unknown) => {
      this.options.log.error({ err: error }, 'cannot write the relay integrity record');
    });
    await this.inner.close();
  }

  private tokenDamaged(roomId: string, finding: string): void {
    if (this.damagedTokens.has(roomId)) return;
    this.damagedTokens.add(roomId);
    this.damage(roomId, [finding], 'room token unreadable; the room is refused until repaired');
  }

  private damage(roomId: string, findings: string[], message: string): void {
    this.damageCount += findings.length;
    this.options.log.error({ room: roomId, findings, operator: OPERATOR_HINT }, message);
  }
}

function damagedToken(roomId: string): WalletError<'relay_storage_corrupt'> {
  return new WalletError('relay_storage_corrupt', 'Room token unreadable', { roomId });
}

/** Does this update put a live value into the root map `entries`? (cheap: only provisional rooms ask) */
export function addsEntry(update: Uint8Array): boolean {
  const { structs, ds } = Y.decodeUpdate(update);
  return structs.some(
    (s) =>
      s instanceof Y.Item &&
      (s.parent as unknown) === 'entries' &&
      s.parentSub !== null &&
      s.countable &&
      !(ds.clients.get(s.id.client) ?? []).some((d) => s.id.clock >= d.clock && s.id.clock < d.clock + d.len),
  );
}
