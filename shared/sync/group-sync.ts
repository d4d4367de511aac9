/**
 * GroupSync binds one group's local store, its verifier (GroupLog) and its Yjs document.
 *
 * The document holds one Y.Map, "entries": entry id → envelope bytes, a grow-only set (the
 * same entry written by two devices collapses to one key). The map is only a transport:
 * nothing read from it is trusted. Remote keys are collected, checked in batches by the
 * GroupLog, and only what it accepts reaches the store and the folded state. Refusals are
 * recorded with their code, entries waiting for a predecessor are kept as pending, and
 * neither ever stops the rest of a batch.
 *
 * Everything that changes the log (local appends, remote batches) runs one at a time on an
 * internal queue, so two quick appends can never take the same seq and the store always
 * matches the log.
 *
 * Opening is split so a large group shows quickly: the stored entries (with their cached
 * events: nothing is decrypted) are restored and folded, and `open` returns with the state;
 * the stored document (megabytes for thousands of entries) is applied afterwards. Whatever
 * needs the document waits for it: the transport connects only once it is loaded, and
 * `append`, `whenIdle`, `flush` and persisting load it first if it is not loaded yet.
 */
import { putBackAccepted, staleForkEvidence } from './map-healing';
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { WalletError } from '../errors';
import { RelayTokenChain } from './relay-tokens';
import { memberIdOf } from '../crypto/identity';
import type { WalletEventInput } from '../ledger/envelope';
import { IncrementalFold } from '../ledger/fold-incremental';
import { GroupLog, type LoggedEntry } from '../ledger/group-log';
import { keyOpenerFor } from '../ledger/key-rotation';
import type { EntryId, GroupId, GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';
import { DocPersistence, RESTORE } from './doc-persistence';
import { GroupKeys } from './group-keys';
import { writeLocalEntries } from './local-writer';
import { type GroupSyncOptions, type Listener, loadOnNextTask, localDateOf } from './group-sync-options';
import { type Candidate, IncomingCheck, trustedEntry } from './incoming-check';
import { GroupPresence } from './group-presence';
import type { PresenceState } from './presence';
import { SendTracker, unsentAtOpen } from './send-tracker';
import type { EntryEvent, RejectedRecord, Store } from './store';
import { groupSnapshot } from './group-snapshot';
import { type SyncSnapshot, sameSnapshot, USUAL_TRANSPORT } from './sync-snapshot';
import type { TransportFactory } from './transport';
import { TransportSession } from './transport-session';
import { TransportSet } from './transport-set';

export { COMPACT_DOC_AFTER } from './doc-persistence';
export type { GroupSyncOptions } from './group-sync-options';
export type { SyncRejectCode } from './incoming-check';
export type {
  SyncProblem,
  SyncProblemCode,
  SyncSnapshot,
  SyncStatus,
  TransportSummary,
} from './sync-snapshot';
export { USUAL_TRANSPORT } from './sync-snapshot';

/** Name of the Y.Map holding the entries in every group document. */
export const ENTRIES_MAP = 'entries';

export class GroupSync {
  readonly groupId: GroupId;
  /** The member this device writes as: the person (protocol §16), whatever key signs. */
  readonly memberId: MemberId;
  /** The key this device signs with (its own chain): memberId, unless a linked device. */
  readonly signerId: MemberId;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly #map: Y.Map<unknown>;
  readonly #options: GroupSyncOptions;
  readonly #store: Store;
  readonly #log: GroupLog;
  readonly #now: () => number;
  readonly #check: IncomingCheck;
  readonly #persistence: DocPersistence;
  readonly #link: TransportSession;
  /** Transports beside the usual relay (a LAN relay), each with its own presence. */
  readonly #extra: TransportSet;
  readonly #presence: GroupPresence;
  /** Own entries waiting to be sent, and when the group was last in sync (send-tracker.ts). */
  readonly #sent: SendTracker;
  /** Writes under the current epoch key and rotates after a departure (key-rotator.ts). */
  /** Epoch keys: writing under the current one, rotating, sharing (group-keys.ts). */
  readonly keys: GroupKeys;

  #tail: Promise<unknown> = Promise.resolve();
  #busy = 0;
  readonly #incoming = new Set<string>();
  /** Refused with pending_full: retried once something is accepted. */
  readonly #deferred = new Set<string>();
  #scheduled = false;

  #state: GroupState;
  /** Folds only what is new when entries just add to the end (live entries do). */
  readonly #folder: IncrementalFold;
  readonly #today: () => string;
  #foldDirty = false;
  #foldTimer: ReturnType<typeof setTimeout> | undefined;

  /** A store or document problem, in words (transport errors are the session's). */
  #lastError: string | undefined;
  #snapshot: SyncSnapshot;
  #closed = false;
  /** Events of stored rows from before they were cached, written back once the document is in. */
  #eventsToCache: EntryEvent[] = [];

  readonly #snapshotListeners = new Set<Listener<SyncSnapshot>>();
  readonly #stateListeners = new Set<Listener<GroupState>>();

  private constructor(
    options: GroupSyncOptions,
    log: GroupLog,
    pendingIds: readonly EntryId[],
    rejected: readonly RejectedRecord[],
    sent: { readonly lastSyncedAt: number | null; readonly unsent: number },
  ) {
    this.#options = options;
    this.groupId = options.groupId;
    this.signerId = memberIdOf(options.identity.publicKey);
    this.memberId = options.certificate?.person ?? this.signerId;
    this.#store = options.store;
    this.#log = log;
    this.#now = options.now ?? Date.now;
    this.#today = options.today ?? (() => localDateOf(this.#now()));
    this.doc = new Y.Doc();
    this.#map = this.doc.getMap(ENTRIES_MAP);
    this.awareness = new Awareness(this.doc);
    this.#check = new IncomingCheck(
      {
        groupId: options.groupId,
        log,
        store: options.store,
        doc: this.doc,
        map: this.#map,
        preparer: options.preparer,
        origin: this,
        foldSoon: () => this.#foldSoon(),
        onSaveError: (message) => {
          this.#lastError = message;
        },
      },
      pendingIds,
      rejected,
    );
    this.#persistence = new DocPersistence({
      store: options.store,
      groupId: options.groupId,
      doc: this.doc,
      persistDelayMs: options.persistDelayMs,
      onLoaded: () => this.#afterDocLoad(),
      onError: (message) => {
        this.#lastError = message;
        this.#refreshSnapshot();
      },
    });
    const relayTokens = new RelayTokenChain(options);
    this.#link = new TransportSession({
      doc: this.doc,
      awareness: this.awareness,
      groupId: options.groupId,
      relayTokens,
      onChange: () => this.#refreshSnapshot(),
    });
    this.#extra = new TransportSet({
      doc: this.doc,
      groupId: options.groupId,
      relayTokens,
      onChange: () => this.#refreshSnapshot(),
      onPresence: () => this.#presence.emit(),
    });
    this.#sent = new SendTracker({
      ...sent,
      now: this.#now,
      persist: (lastSyncedAt) => {
        void this.#store.updateGroup(this.groupId, { lastSyncedAt }).catch(() => {
          // A group opened without a group record (tests, tools) has nowhere to note it.
        });
      },
    });
    this.#presence = new GroupPresence({
      awareness: this.awareness,
      extra: this.#extra,
      memberId: this.memberId,
      ...(options.memberName !== undefined ? { memberName: options.memberName } : {}),
      members: () => this.#state.members,
    });
    this.#folder = new IncrementalFold(options.groupId);
    this.#state = this.#folder.fold(log.canonicalEntries(), this.#today());
    this.keys = new GroupKeys({
      groupId: options.groupId,
      log,
      identity: options.identity,
      grantedKeys: options.grantedKeys,
      relayTokens,
      memberId: this.memberId,
      signerId: this.signerId,
      append: (event) => this.append(event),
      state: () => this.#state,
      onError: (message) => {
        this.#lastError = message;
        this.#refreshSnapshot();
      },
      rotationDelayMs: options.rotationDelayMs,
    });
    this.keys.afterFold(this.#state);
    this.#snapshot = this.#computeSnapshot();
  }

  /**
   * Opens a group from the store: stored entries are loaded into the verifier without
   * checking their signatures again (this device verified them) and, where their event is
   * cached, without decrypting them; the folded state is ready when this resolves. The stored
   * document is applied afterwards (`scheduleDocLoad`), and whatever it holds that the store
   * lacks is verified then.
   */
  static async open(options: GroupSyncOptions): Promise<GroupSync> {
    const { store, groupId } = options;
    const stored = await store.listEntries(groupId);
    const { log, report } = GroupLog.restore(
      {
        groupId,
        groupKey: options.groupKey,
        keyOpener: keyOpenerFor(options.identity, groupId, options.grantedKeys),
        ...(options.maxPending ? { maxPending: options.maxPending } : {}),
        ...(options.preparer ? { preparer: options.preparer } : {}),
      },
      stored.map(trustedEntry),
    );
    const rejected = await store.listRejected(groupId);
    const pending = await store.listPending(groupId);
    const lastSyncedAt = (await store.getGroup(groupId))?.lastSyncedAt ?? null;
    const sync = new GroupSync(
      options,
      log,
      pending.map((p) => p.id),
      rejected,
      { lastSyncedAt, unsent: unsentAtOpen(stored, memberIdOf(options.identity.publicKey), lastSyncedAt) },
    );
    if (report.rejected.length > 0) {
      sync.#lastError = `${report.rejected.length} stored entries no longer verify (${report.rejected[0]!.code})`;
    }
    for (const e of stored) {
      const restored = e.event === undefined ? log.get(e.id) : undefined;
      if (restored) sync.#eventsToCache.push({ id: e.id, event: restored.event });
    }
    const stale = staleForkEvidence(log.forks(), stored);
    if (stale.length > 0) await store.markForkEvidence(groupId, stale);

    sync.#map.observe((event, transaction) => {
      if (transaction.local || transaction.origin === RESTORE) return;
      for (const key of event.keysChanged) sync.#incoming.add(key);
      sync.#scheduleIncoming();
    });
    sync.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === RESTORE) return;
      sync.#persistence.track(update);
    });
    sync.#presence.announce();

    if (pending.length > 0) {
      await sync.#run(() =>
        sync.#processIncoming(pending.map((p): Candidate => ({ key: p.id, bytes: p.bytes }))),
      );
    }
    sync.#foldNow();
    sync.#refreshSnapshot();
    (options.scheduleDocLoad ?? loadOnNextTask)(() => sync.#persistence.startLoad());
    return sync;
  }

  // ---------------------------------------------------------------- reading

  /**
   * Work that will write to the store: queued tasks (appends, incoming batches) and document
   * changes not yet saved. Zero means nothing is half-written (the desktop installs updates then).
   */
  get pendingWrites(): number {
    return this.#busy + this.#incoming.size + this.#persistence.unsavedCount;
  }

  /** The folded state of the group (up to date after `whenIdle()`). */
  get state(): GroupState {
    return this.#state;
  }

  get snapshot(): SyncSnapshot {
    return this.#snapshot;
  }

  /** Entries no key of this device opens (yet: their key.rotated may come; never: after a removal). */
  get unreadableCount(): number {
    return this.#log.unreadableCount;
  }

  /** Every accepted entry (fork evidence included) in total order. */
  entries(): readonly LoggedEntry[] {
    return this.#log.entries();
  }

  /** Calls `listener` with every new snapshot; returns the unsubscribe function. */
  subscribe(listener: Listener<SyncSnapshot>): () => void {
    this.#snapshotListeners.add(listener);
    return () => this.#snapshotListeners.delete(listener);
  }

  /** Calls `listener` with every newly folded state; returns the unsubscribe function. */
  onState(listener: Listener<GroupState>): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  // ---------------------------------------------------------------- writing

  /**
   * Creates this device's next entry, stores it, then publishes it in the map.
   * @throws WalletError `not_member` (first entry must be a join), `author_forked`, or createEntry's codes;
   *   nothing is stored or published then.
   */
  async append(event: WalletEventInput): Promise<LoggedEntry> {
    const entries = await this.appendMany([event]);
    return entries[entries.length - 1]!; // after a linked device's own device.linked, if any
  }

  /**
   * Writes several events as this device's next entries: signed in order, stored in one write
   * (all or none), published in one document transaction and folded once. What an import of
   * thousands of rows needs (local-writer.ts); same errors as `append`.
   */
  appendMany(events: readonly WalletEventInput[]): Promise<LoggedEntry[]> {
    return this.#run(async () => {
      this.#assertOpen();
      await this.#persistence.loadNow();
      this.#assertOpen();
      const created = await writeLocalEntries(
        {
          identity: this.#options.identity,
          memberId: this.signerId,
          certificate: this.#options.certificate,
          groupId: this.groupId,
          log: this.#log,
          store: this.#store,
          now: this.#now,
        },
        events,
      );
      if (created.length === 0) return [];
      this.doc.transact(() => {
        for (const c of created) this.#map.set(c.id, c.bytes);
      }, this);
      for (let i = 0; i < created.length; i++) this.#sent.appended();
      this.#foldSoon();
      this.#refreshSnapshot();
      return created.map((c) => this.#log.get(c.id)!);
    });
  }

  // ---------------------------------------------------------------- transport

  /** Starts syncing through a transport (replacing any current one). */
  connect(factory: TransportFactory): void {
    this.#assertOpen();
    this.#link.connect(factory, this.#documentReady(), () => this.#closed);
  }

  /** Stops syncing through the usual relay (extra transports stay); local appends go out on the next connect. */
  disconnect(): void {
    this.#link.disconnect();
  }

  /**
   * Syncs the same document over one more transport beside the usual relay (e.g. a relay on the
   * local network), replacing a transport of the same id. The group is synced when any transport
   * is; each one's status is in `snapshot.transports`.
   */
  addTransport(id: string, factory: TransportFactory): void {
    this.#assertOpen();
    if (id === USUAL_TRANSPORT) throw new WalletError('bad_transport_id', `'${id}' is the usual relay's id.`);
    this.#extra.add(id, factory, this.#documentReady(), () => this.#closed);
    this.#presence.announce(true);
    this.#refreshSnapshot();
  }

  /** Stops an extra transport and forgets the presence it brought; false when there was none. */
  removeTransport(id: string): boolean {
    const removed = this.#extra.remove(id);
    if (removed) this.#refreshSnapshot();
    return removed;
  }

  /** Ids of the extra transports. */
  transportIds(): string[] {
    return this.#extra.list().map((t) => t.id);
  }

  /** True from `connect` until `disconnect` (the transport may still wait for the document). */
  get connected(): boolean {
    return this.#link.active;
  }

  // ---------------------------------------------------------------- presence

  setTyping(typing: boolean): void {
    this.#presence.setTyping(typing);
  }

  /**
   * Other members' devices currently online, over every transport (awareness is unsigned:
   * unknown members are hidden).
   */
  presence(): PresenceState[] {
    return this.#presence.list();
  }

  /**
   * Who is on the other end of one transport (`USUAL_TRANSPORT` or an extra id): learned from
   * presence after connecting, never from how the transport was found. Empty for an unknown id.
   */
  presenceVia(id: string): PresenceState[] {
    return this.#presence.via(id);
  }

  onPresence(listener: Listener<PresenceState[]>): () => void {
    return this.#presence.onChange(listener);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Resolves once the stored document is loaded, every received key is processed and the state is folded. */
  async whenIdle(): Promise<void> {
    await this.#persistence.loadNow();
    await this.#drain();
    this.#foldNow();
    // A fold may have started an automatic key rotation: idle means it is written too.
    while (this.keys.busy) {
      await this.keys.busy;
      await this.#drain();
      this.#foldNow();
    }
  }

  async #drain(): Promise<void> {
    while (this.#busy > 0 || this.#incoming.size > 0) {
      if (this.#incoming.size > 0 && !this.#scheduled) this.#scheduleIncoming();
      await this.#tail;
    }
  }

  /** whenIdle, then writes the document to the store now. */
  async flush(): Promise<void> {
    await this.whenIdle();
    await this.#persistence.persistNow();
  }

  /** Disconnects, finishes work in hand, persists, and releases the document. The store stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.disconnect();
    this.#extra.removeAll();
    await this.#drain();
    // A document nothing used since open is still the stored one: no need to load and re-save it.
    if (this.#persistence.state === 'waiting') this.#foldNow();
    else await this.flush();
    this.#closed = true;
    this.keys.close();
    this.#persistence.close();
    clearTimeout(this.#foldTimer);
    this.awareness.destroy();
    this.doc.destroy();
    this.#snapshotListeners.clear();
    this.#stateListeners.clear();
    this.#presence.close();
  }

  // ---------------------------------------------------------------- internals

  /** Syncing an empty document would fetch the whole group again: transports wait for the stored one. */
  #documentReady(): Promise<void> | undefined {
    return this.#persistence.state === 'loaded' ? undefined : this.#persistence.loaded;
  }

  #assertOpen(): void {
    if (this.#closed) throw new WalletError('sync_closed', 'This group is closed.');
  }

  /**
   * The stored document is in: reconcile it with the log. Entries the document lacks (a crash
   * before it was saved) are put back, keys the log does not know are checked.
   */
  #afterDocLoad(): void {
    const accepted = this.#log.entries().map((e) => e.id);
    putBackAccepted(this.doc, this.#map, this.#log, accepted, this);
    for (const key of this.#map.keys()) if (!this.#log.get(key)) this.#incoming.add(key);
    if (this.#incoming.size > 0) this.#scheduleIncoming();
    const events = this.#eventsToCache;
    this.#eventsToCache = [];
    if (events.length > 0) {
      void this.#run(() => this.#store.addEntryEvents(this.groupId, events)).catch(() => {
        // Only a cache: the next open decrypts these rows again and retries.
      });
    }
  }

  #run<T>(task: () => Promise<T>): Promise<T> {
    this.#busy++;
    const run = this.#tail.then(task).finally(() => {
      this.#busy--;
      this.#refreshSnapshot();
    });
    this.#tail = run.catch(() => undefined);
    this.#refreshSnapshot();
    return run;
  }

  #scheduleIncoming(): void {
    if (this.#scheduled || this.#closed) return;
    this.#scheduled = true;
    void this.#run(() => {
      this.#scheduled = false;
      return this.#processIncoming([]);
    }).catch((error: unknown) => {
      this.#lastError = error instanceof Error ? error.message : String(error);
      this.#refreshSnapshot();
    });
  }

  /** Checks what arrived in the map (plus `extra` candidates), then stores the verdicts. */
  async #processIncoming(extra: readonly Candidate[]): Promise<void> {
    const keys = [...this.#incoming];
    this.#incoming.clear();
    const { changed, deferred } = await this.#check.check(keys, extra, this.#now());
    for (const key of deferred) this.#deferred.add(key);
    putBackAccepted(this.doc, this.#map, this.#log, keys, this);
    if (changed) {
      this.#foldSoon();
      for (const key of this.#deferred) this.#incoming.add(key);
      this.#deferred.clear();
      if (this.#incoming.size > 0) this.#scheduleIncoming();
    }
  }

  /**
   * Folds again when the date has moved on since the last fold (the app calls this now and then:
   * recurring occurrences of the new day appear without any new entry). Cheap when it has not.
   */
  refreshDate(): void {
    if (this.#closed || this.#folder.asOf === this.#today()) return;
    this.#foldDirty = true;
    this.#foldNow();
  }

  #foldSoon(): void {
    this.#foldDirty = true;
    if (this.#foldTimer !== undefined || this.#closed) return;
    this.#foldTimer = setTimeout(() => {
      this.#foldTimer = undefined;
      this.#foldNow();
    }, this.#options.foldDelayMs ?? 15);
  }

  #foldNow(): void {
    if (this.#foldTimer !== undefined) {
      clearTimeout(this.#foldTimer);
      this.#foldTimer = undefined;
    }
    if (!this.#foldDirty) return;
    this.#foldDirty = false;
    this.#state = this.#folder.fold(this.#log.canonicalEntries(), this.#today());
    this.keys.afterFold(this.#state);
    this.#presence.announce();
    for (const listener of this.#stateListeners) listener(this.#state);
    this.#refreshSnapshot();
  }

  #computeSnapshot(): SyncSnapshot {
    return groupSnapshot({
      link: this.#link,
      extras: this.#extra.list(),
      busy: this.#busy > 0 || this.#incoming.size > 0,
      log: this.#log,
      mapSize: this.#map.size,
      rejected: this.#check.rejectedKeys.size,
      sent: this.#sent,
      lastError: this.#lastError,
    });
  }

  #refreshSnapshot(): void {
    // Linked: some transport finished its full exchange and is still up (send-tracker.ts).
    // Read before the snapshot, so the counts it publishes already say what the link changed.
    this.#sent.update(this.#link.synced || this.#extra.list().some((t) => t.session.synced));
    const next = this.#computeSnapshot();
    const prev = this.#snapshot;
    if (sameSnapshot(prev, next)) return;
    this.#snapshot = next;
    for (const listener of this.#snapshotListeners) listener(next);
  }
}
