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
import { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import { WalletError } from '../errors';
import { deriveRelayToken } from '../crypto/group-key';
import { equalBytes, sha256Hex } from '../crypto/hash';
import { type Identity, memberIdOf } from '../crypto/identity';
import type { EntryErrorCode } from '../ledger/entry-errors';
import { createEntry, decodeHeader, lamportOf, type WalletEventInput } from '../ledger/envelope';
import type { EntryPreparer } from '../ledger/entry-prep';
import { IncrementalFold } from '../ledger/fold-incremental';
import { GroupLog, type IngestReport, type LoggedEntry, type TrustedEntry } from '../ledger/group-log';
import type { EntryId, GroupId, GroupState } from '../ledger/types';
import type { MemberId } from '../money/types';
import { type PresenceState, readPresence, setLocalPresence } from './presence';
import type { EntryEvent, PendingRecord, RejectedRecord, Store, StoredEntry } from './store';
import type { Transport, TransportContext, TransportFactory, TransportStatus } from './transport';

/** Name of the Y.Map holding the entries in every group document. */
export const ENTRIES_MAP = 'entries';

export type SyncStatus = 'offline' | 'connecting' | 'syncing' | 'synced';

/** Why something in the map was refused: the verifier's codes plus the two the map itself can break. */
export type SyncRejectCode = EntryErrorCode | 'not_bytes';

export interface SyncSnapshot {
  readonly status: SyncStatus;
  /** Accepted entries (fork evidence included). */
  readonly entries: number;
  /** Entries waiting for their predecessor. */
  readonly pending: number;
  /** Distinct refusals recorded for this group. */
  readonly rejected: number;
  /** Authors caught with two entries at one seq. */
  readonly forks: number;
  readonly lastError?: string;
}

export interface GroupSyncOptions {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
  readonly identity: Identity;
  readonly store: Store;
  /** Name shown in presence; defaults to the member's name in the group state. */
  readonly memberName?: string;
  /** Clock for entry times and receivedAt (ms). */
  readonly now?: () => number;
  /** Delay before re-folding after a change, so a burst of batches folds once. Default 15 ms. */
  readonly foldDelayMs?: number;
  /** Delay before persisting the document after a change. Default 500 ms. */
  readonly persistDelayMs?: number;
  /** Bound of the verifier's pending set. */
  readonly maxPending?: number;
  /** Hashes and opens large incoming batches on other threads (GroupLogOptions.preparer). */
  readonly preparer?: EntryPreparer;
  /**
   * Runs the deferred loading of the stored document, after `open` has returned the state.
   * Default: a 0 ms timer. The app passes an idle callback so the first screen paints first.
   */
  readonly scheduleDocLoad?: (load: () => void) => void;
}

type Listener<T> = (value: T) => void;

interface Candidate {
  readonly key: string;
  readonly bytes: Uint8Array;
}

/**
 * Appended document updates kept before they are compacted into one state. Compacting encodes
 * the whole document (about 36 ms and 6.7 MB for 10,000 entries), so it runs once per this
 * many saves instead of on every save.
 */
export const COMPACT_DOC_AFTER = 64;

const isJoin = (type: string): boolean => type === 'group.created' || type === 'member.joined';
const utf8 = new TextEncoder();
/** Origin of the transaction that applies the stored document: not news, nothing to check or save. */
const RESTORE = Symbol('restore');
const loadOnNextTask = (load: () => void): void => {
  setTimeout(load, 0);
};

/** A stored row as the verifier takes it: with its cached event when it has one, so nothing is decrypted. */
function trustedEntry(e: StoredEntry): TrustedEntry {
  if (e.event === undefined) return e.bytes;
  const header = decodeHeader(e.bytes);
  // A row that no longer decodes goes in as bare bytes: restore refuses it with its own code.
  return header.ok ? { bytes: e.bytes, entry: { id: e.id, header: header.value, event: e.event } } : e.bytes;
}

function storedEntry(
  groupId: GroupId,
  e: LoggedEntry,
  receivedAt: number,
  status: StoredEntry['status'],
): StoredEntry {
  return {
    id: e.id,
    groupId,
    author: e.header.author,
    seq: e.header.seq,
    lamport: e.header.lamport,
    bytes: e.bytes,
    receivedAt,
    status,
    event: e.event,
  };
}

/** Parts a large incoming batch is checked in when a preparer runs ahead (see #pipelineParts). */
const PIPELINE_PARTS = 4;

function rejectedRecord(
  groupId: GroupId,
  id: EntryId | null,
  code: SyncRejectCode,
  message: string,
  bytesHash: string,
  receivedAt: number,
): RejectedRecord {
  return { groupId, id, code, message, bytesHash, receivedAt };
}

/** bytesHash of a refusal whose value was not bytes at all: one record per map key. */
function notBytesHash(key: string): string {
  return sha256Hex(utf8.encode(`not-bytes:${key}`));
}

export class GroupSync {
  readonly groupId: GroupId;
  readonly memberId: MemberId;
  readonly doc: Y.Doc;
  readonly awareness: Awareness;
  readonly #map: Y.Map<unknown>;
  readonly #options: GroupSyncOptions;
  readonly #store: Store;
  readonly #log: GroupLog;
  readonly #now: () => number;
  readonly #token: string;

  #tail: Promise<unknown> = Promise.resolve();
  #busy = 0;
  readonly #incoming = new Set<string>();
  /** Refused with pending_full: retried once something is accepted. */
  readonly #deferred = new Set<string>();
  #scheduled = false;
  #pendingIds = new Set<EntryId>();
  /** Entries the log accepted that the store has not taken yet (a failed write is retried). */
  #unsaved: StoredEntry[] = [];
  readonly #rejectedKeys = new Set<string>();

  #state: GroupState;
  /** Folds only what is new when entries just add to the end (live entries do). */
  readonly #folder: IncrementalFold;
  #foldDirty = false;
  #foldTimer: ReturnType<typeof setTimeout> | undefined;
  #persistTimer: ReturnType<typeof setTimeout> | undefined;

  #transport: Transport | undefined;
  #session: object | undefined;
  #transportStatus: TransportStatus = 'disconnected';
  #transportSynced = false;
  #lastError: string | undefined;
  /** Kept apart from #lastError: cleared as soon as the transport connects again. */
  #transportError: string | undefined;
  #snapshot: SyncSnapshot;
  #typing = false;
  #closed = false;

  #docLoad: 'waiting' | 'loading' | 'loaded' = 'waiting';
  /** Changes to the document since it was loaded or last saved, in order. */
  #unsavedDoc: Uint8Array[] = [];
  /** The store holds enough appended updates to fold them into one compacted state. */
  #compactDoc = false;
  /** The save in progress: saves run one at a time, so a compaction never drops an append. */
  #docSave: Promise<void> = Promise.resolve();
  readonly #docLoaded: Promise<void>;
  #resolveDocLoaded!: () => void;
  /** Events of stored rows from before they were cached, written back once the document is in. */
  #eventsToCache: EntryEvent[] = [];

  readonly #snapshotListeners = new Set<Listener<SyncSnapshot>>();
  readonly #stateListeners = new Set<Listener<GroupState>>();

  private constructor(options: GroupSyncOptions, log: GroupLog) {
    this.#options = options;
    this.groupId = options.groupId;
    this.memberId = memberIdOf(options.identity.publicKey);
    this.#store = options.store;
    this.#log = log;
    this.#now = options.now ?? Date.now;
    this.#token = deriveRelayToken(options.groupKey);
    this.doc = new Y.Doc();
    this.#map = this.doc.getMap(ENTRIES_MAP);
    this.awareness = new Awareness(this.doc);
    this.#docLoaded = new Promise((resolve) => {
      this.#resolveDocLoaded = resolve;
    });
    this.#folder = new IncrementalFold(options.groupId);
    this.#state = this.#folder.fold(log.canonicalEntries());
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
        ...(options.maxPending ? { maxPending: options.maxPending } : {}),
        ...(options.preparer ? { preparer: options.preparer } : {}),
      },
      stored.map(trustedEntry),
    );
    const sync = new GroupSync(options, log);
    if (report.rejected.length > 0) {
      sync.#lastError = `${report.rejected.length} stored entries no longer verify (${report.rejected[0]!.code})`;
    }
    for (const e of stored) {
      const restored = e.event === undefined ? log.get(e.id) : undefined;
      if (restored) sync.#eventsToCache.push({ id: e.id, event: restored.event });
    }
    for (const r of await store.listRejected(groupId)) sync.#rejectedKeys.add(`${r.bytesHash}:${r.code}`);
    await sync.#reconcileForks(stored);
    const pending = await store.listPending(groupId);
    sync.#pendingIds = new Set(pending.map((p) => p.id));

    sync.#map.observe((event, transaction) => {
      if (transaction.local || transaction.origin === RESTORE) return;
      for (const key of event.keysChanged) sync.#incoming.add(key);
      sync.#scheduleIncoming();
    });
    sync.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === RESTORE) return;
      sync.#unsavedDoc.push(update);
      // Someone uses the document: it must hold the stored one before it is saved.
      sync.#startDocLoad();
      sync.#persistSoon();
    });
    sync.#announcePresence();

    if (pending.length > 0) {
      await sync.#run(() =>
        sync.#processIncoming(pending.map((p): Candidate => ({ key: p.id, bytes: p.bytes }))),
      );
    }
    sync.#foldNow();
    sync.#refreshSnapshot();
    (options.scheduleDocLoad ?? loadOnNextTask)(() => sync.#startDocLoad());
    return sync;
  }

  // ---------------------------------------------------------------- reading

  /** The folded state of the group (up to date after `whenIdle()`). */
  get state(): GroupState {
    return this.#state;
  }

  get snapshot(): SyncSnapshot {
    return this.#snapshot;
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
  append(event: WalletEventInput): Promise<LoggedEntry> {
    return this.#run(async () => {
      this.#assertOpen();
      await this.#loadDocNow();
      this.#assertOpen();
      const next = this.#log.nextHeaderFor(this.memberId);
      if (next.seq === 1 && !isJoin(event.type)) {
        throw new WalletError('not_member', 'Join the group before writing to it.');
      }
      const created = await createEntry({
        identity: this.#options.identity,
        groupId: this.groupId,
        groupKey: this.#options.groupKey,
        ...next,
        time: this.#now(),
        event,
      });
      const { header } = created.entry;
      // Store first: if the write fails, nothing was published and the seq is still free.
      await this.#store.appendEntries(this.groupId, [
        {
          id: created.id,
          groupId: this.groupId,
          author: header.author,
          seq: header.seq,
          lamport: header.lamport,
          bytes: created.bytes,
          receivedAt: this.#now(),
          status: 'applied',
          event: created.entry.event,
        },
      ]);
      await this.#log.appendLocal(created);
      this.doc.transact(() => this.#map.set(created.id, created.bytes), this);
      this.#foldSoon();
      this.#refreshSnapshot();
      return this.#log.get(created.id)!;
    });
  }

  // ---------------------------------------------------------------- transport

  /** Starts syncing through a transport (replacing any current one). */
  connect(factory: TransportFactory): void {
    this.#assertOpen();
    this.disconnect();
    // Callbacks of a replaced transport must not touch the current one's status.
    const session = {};
    this.#session = session;
    this.#transportStatus = 'connecting';
    this.#refreshSnapshot();
    const context: TransportContext = {
      doc: this.doc,
      awareness: this.awareness,
      groupId: this.groupId,
      token: this.#token,
      onStatus: (status) => {
        if (this.#session !== session) return;
        this.#transportStatus = status;
        if (status === 'connected') this.#transportError = undefined;
        this.#refreshSnapshot();
      },
      onSynced: (synced) => {
        if (this.#session !== session) return;
        this.#transportSynced = synced;
        this.#refreshSnapshot();
      },
      onError: (message) => {
        if (this.#session !== session) return;
        this.#transportError = message;
        this.#refreshSnapshot();
      },
    };
    const start = () => {
      try {
        this.#transport = factory(context);
      } catch (error) {
        this.#session = undefined;
        this.#transportStatus = 'disconnected';
        this.#transportError = error instanceof Error ? error.message : String(error);
        this.#refreshSnapshot();
        throw error;
      }
      this.#refreshSnapshot();
    };
    if (this.#docLoad === 'loaded') {
      start();
      return;
    }
    // Syncing an empty document would fetch the whole group again: wait for the stored one.
    void this.#docLoaded.then(() => {
      if (this.#session !== session || this.#closed) return;
      try {
        start();
      } catch {
        // Recorded as the transport error by start().
      }
    });
  }

  /** Stops syncing; local appends keep working and go out on the next connect. */
  disconnect(): void {
    if (!this.#session) return;
    const transport = this.#transport;
    this.#transport = undefined;
    this.#session = undefined;
    transport?.destroy();
    this.#transportStatus = 'disconnected';
    this.#transportSynced = false;
    this.#refreshSnapshot();
  }

  /** True from `connect` until `disconnect` (the transport may still wait for the document). */
  get connected(): boolean {
    return this.#session !== undefined;
  }

  // ---------------------------------------------------------------- presence

  setTyping(typing: boolean): void {
    if (this.#closed || typing === this.#typing) return;
    this.#typing = typing;
    this.#announcePresence();
  }

  /** Other members' devices currently online (awareness is unsigned: unknown members are hidden). */
  presence(): PresenceState[] {
    const members = new Set(this.#state.members.map((m) => m.id));
    return readPresence(this.awareness, (id) => members.has(id) && id !== this.memberId);
  }

  onPresence(listener: Listener<PresenceState[]>): () => void {
    const handler = () => listener(this.presence());
    this.awareness.on('change', handler);
    return () => this.awareness.off('change', handler);
  }

  // ---------------------------------------------------------------- lifecycle

  /** Resolves once the stored document is loaded, every received key is processed and the state is folded. */
  async whenIdle(): Promise<void> {
    await this.#loadDocNow();
    await this.#drain();
    this.#foldNow();
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
    await this.#persistNow();
  }

  /** Disconnects, finishes work in hand, persists, and releases the document. The store stays open. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.disconnect();
    await this.#drain();
    // A document nothing used since open is still the stored one: no need to load and re-save it.
    if (this.#docLoad === 'waiting') this.#foldNow();
    else await this.flush();
    this.#closed = true;
    this.#resolveDocLoaded();
    clearTimeout(this.#foldTimer);
    clearTimeout(this.#persistTimer);
    this.awareness.destroy();
    this.doc.destroy();
    this.#snapshotListeners.clear();
    this.#stateListeners.clear();
  }

  // ---------------------------------------------------------------- internals

  #assertOpen(): void {
    if (this.#closed) throw new WalletError('sync_closed', 'This group is closed.');
  }

  #startDocLoad(): void {
    if (this.#docLoad !== 'waiting' || this.#closed) return;
    this.#docLoad = 'loading';
    void this.#loadDoc().finally(() => {
      this.#docLoad = 'loaded';
      this.#resolveDocLoaded();
    });
  }

  #loadDocNow(): Promise<void> {
    this.#startDocLoad();
    return this.#docLoaded;
  }

  /**
   * Applies the stored document, then reconciles it with the log: entries the document lacks
   * (a crash before it was saved) are put back, keys the log does not know are checked.
   */
  async #loadDoc(): Promise<void> {
    try {
      const saved = await this.#store.getDocUpdates(this.groupId);
      if (this.#closed) return;
      this.doc.transact(() => {
        for (const update of saved) Y.applyUpdate(this.doc, update, RESTORE);
      }, RESTORE);
      if (saved.length >= COMPACT_DOC_AFTER) {
        this.#compactDoc = true;
        this.#persistSoon();
      }
    } catch (error) {
      if (this.#closed) return;
      // The relay still has what the document held: syncing fetches it again.
      this.#lastError = `Could not load the sync state: ${error instanceof Error ? error.message : String(error)}`;
      this.#refreshSnapshot();
    }
    this.#repairMap(this.#log.entries().map((e) => e.id));
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
    const now = this.#now();
    const candidates: Candidate[] = [...extra];
    const notBytes: RejectedRecord[] = [];
    for (const key of keys) {
      const value = this.#map.get(key);
      if (this.#log.get(key)) continue; // known: #repairMap puts the right bytes back if they changed
      if (value === undefined) continue; // a key deleted before we looked: nothing to check
      if (!(value instanceof Uint8Array)) {
        const message = `The value under ${key.slice(0, 12)}… is not bytes.`;
        notBytes.push(rejectedRecord(this.groupId, null, 'not_bytes', message, notBytesHash(key), now));
        continue;
      }
      candidates.push({ key, bytes: value });
    }

    const parts = this.#pipelineParts(candidates);
    // Every part goes to the log at once, so a preparer works on the next parts while this
    // thread places and stores the earlier ones; the log judges them in order.
    const reports = parts.map((part) =>
      part.length > 0
        ? this.#log.ingest(
            part.map((c) => c.bytes),
            // The log hashes each entry anyway; it refuses one filed under another id (key_mismatch).
            { keys: part.map((c) => c.key) },
          )
        : Promise.resolve(emptyReport(this.#log)),
    );
    // If one part fails, this call fails with it; the later parts must not go unhandled meanwhile.
    for (const r of reports) r.catch(() => undefined);
    let accepted = false;
    for (let i = 0; i < parts.length; i++) {
      const report = await reports[i]!;
      await this.#storeVerdicts(parts[i]!, report, i === 0 ? notBytes : [], now);
      if (report.accepted.length > 0 || report.forks.length > 0) {
        accepted = true;
        // While later parts are still being prepared, the fold can go on with this one.
        if (i < parts.length - 1) this.#foldSoon();
      }
    }

    this.#repairMap(keys);
    if (accepted) {
      this.#foldSoon();
      for (const key of this.#deferred) this.#incoming.add(key);
      this.#deferred.clear();
      if (this.#incoming.size > 0) this.#scheduleIncoming();
    }
  }

  /**
   * A large batch, when a preparer checks it on other threads, in a few parts in lamport order
   * (each author's chain then runs on from one part to the next, so each part still needs about
   * one signature per author); anything else as one part.
   */
  #pipelineParts(candidates: readonly Candidate[]): Candidate[][] {
    const minBatch = this.#options.preparer?.minBatch;
    if (minBatch === undefined || candidates.length < PIPELINE_PARTS * minBatch) return [[...candidates]];
    const ordered = candidates
      .map((c) => ({ c, lamport: lamportOf(c.bytes) }))
      .sort((a, b) => a.lamport - b.lamport);
    const size = Math.ceil(ordered.length / PIPELINE_PARTS);
    const parts: Candidate[][] = [];
    for (let from = 0; from < ordered.length; from += size) {
      parts.push(ordered.slice(from, from + size).map((o) => o.c));
    }
    return parts;
  }

  /** Records what the log said of one part: refusals, accepted and pending entries, forks. */
  async #storeVerdicts(
    candidates: readonly Candidate[],
    report: IngestReport,
    refusedEarlier: readonly RejectedRecord[],
    now: number,
  ): Promise<void> {
    const rejected: RejectedRecord[] = [...refusedEarlier];
    for (const r of report.rejected) {
      // A refused entry's id is in the rejection, except when too large to hash: then its key.
      const key = r.index !== undefined ? candidates[r.index]?.key : undefined;
      const id = r.id ?? key;
      if (r.code === 'pending_full') {
        if (id !== undefined) this.#deferred.add(id);
        continue;
      }
      if (id !== undefined) rejected.push(rejectedRecord(this.groupId, id, r.code, r.message, id, now));
    }

    // Statuses follow the log: an author's entries from its fork on are evidence, not log.
    const forkSeq = new Map(this.#log.forks().map((f) => [f.author, f.seq]));
    const isEvidence = (author: MemberId, seq: number) =>
      seq >= (forkSeq.get(author) ?? Number.POSITIVE_INFINITY);
    const toStore: StoredEntry[] = [
      ...this.#unsaved,
      ...report.accepted.map((e) =>
        storedEntry(
          this.groupId,
          e,
          now,
          isEvidence(e.header.author, e.header.seq) ? 'fork-evidence' : 'applied',
        ),
      ),
    ];
    const demoted: EntryId[] = [];
    const fresh = new Set(report.forks.length > 0 ? report.accepted.map((e) => e.id) : []);
    for (const fork of report.forks) {
      for (const e of this.#log.entries()) {
        if (e.header.author === fork.author && e.header.seq >= fork.seq && !fresh.has(e.id))
          demoted.push(e.id);
      }
    }

    const pendingBefore = this.#pendingIds;
    const pendingNow = new Map(this.#log.pendingEntries().map((e) => [e.id, e]));
    const newPending: PendingRecord[] = [];
    for (const [id, e] of pendingNow) {
      if (!pendingBefore.has(id))
        newPending.push({ groupId: this.groupId, id, bytes: e.bytes, receivedAt: now });
    }
    const settled = [...pendingBefore].filter((id) => !pendingNow.has(id));
    this.#pendingIds = new Set(pendingNow.keys());

    try {
      if (demoted.length > 0) await this.#store.markForkEvidence(this.groupId, demoted);
      await this.#store.appendEntries(this.groupId, toStore);
      this.#unsaved = [];
    } catch (error) {
      // The log already holds them; keep them for the next batch rather than losing them.
      this.#unsaved = toStore;
      this.#lastError = `Could not save entries: ${error instanceof Error ? error.message : String(error)}`;
    }
    if (newPending.length > 0) await this.#store.addPending(newPending);
    if (settled.length > 0) await this.#store.removePending(this.groupId, settled);
    if (rejected.length > 0) {
      await this.#store.addRejected(rejected);
      for (const r of rejected) this.#rejectedKeys.add(`${r.bytesHash}:${r.code}`);
    }
  }

  /**
   * Keeps the map a grow-only set from this device's point of view: an accepted entry whose
   * key vanished, holds other bytes, or never made it into the document (a crash before the
   * document was persisted) is put back.
   */
  #repairMap(ids: Iterable<EntryId>): void {
    const fixes: LoggedEntry[] = [];
    for (const id of ids) {
      const entry = this.#log.get(id);
      if (entry && !isSameBytes(this.#map.get(id), entry.bytes)) fixes.push(entry);
    }
    if (fixes.length === 0) return;
    this.doc.transact(() => {
      for (const e of fixes) this.#map.set(e.id, e.bytes);
    }, this);
  }

  async #reconcileForks(stored: readonly StoredEntry[]): Promise<void> {
    const forkSeq = new Map(this.#log.forks().map((f) => [f.author, f.seq]));
    if (forkSeq.size === 0) return;
    const stale = stored
      .filter((e) => e.status === 'applied' && e.seq >= (forkSeq.get(e.author) ?? Number.POSITIVE_INFINITY))
      .map((e) => e.id);
    if (stale.length > 0) await this.#store.markForkEvidence(this.groupId, stale);
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
    this.#state = this.#folder.fold(this.#log.canonicalEntries());
    this.#announcePresence();
    for (const listener of this.#stateListeners) listener(this.#state);
    this.#refreshSnapshot();
  }

  #persistSoon(): void {
    if (this.#persistTimer !== undefined || this.#closed) return;
    this.#persistTimer = setTimeout(() => {
      this.#persistTimer = undefined;
      void this.#persistNow().catch((error: unknown) => {
        this.#lastError = `Could not save the sync state: ${error instanceof Error ? error.message : String(error)}`;
        this.#refreshSnapshot();
      });
    }, this.#options.persistDelayMs ?? 500);
  }

  async #persistNow(): Promise<void> {
    if (this.#persistTimer !== undefined) {
      clearTimeout(this.#persistTimer);
      this.#persistTimer = undefined;
    }
    if (this.#closed) return;
    // Saving before the stored document is in would drop what only it holds.
    await this.#loadDocNow();
    if (this.#closed) return;
    const save = this.#docSave.then(() => this.#saveDoc());
    this.#docSave = save.catch(() => undefined);
    await save;
  }

  /** Appends the changes since the last save as one update, or compacts when enough have piled up. */
  async #saveDoc(): Promise<void> {
    if (this.#closed || (this.#unsavedDoc.length === 0 && !this.#compactDoc)) return;
    const changes = this.#unsavedDoc;
    this.#unsavedDoc = [];
    try {
      if (this.#compactDoc) {
        this.#compactDoc = false;
        // The whole document holds `changes` too: one write replaces everything saved before.
        await this.#store.putDocState(this.groupId, Y.encodeStateAsUpdate(this.doc));
        return;
      }
      const update = changes.length === 1 ? changes[0]! : Y.mergeUpdates(changes);
      const stored = await this.#store.appendDocUpdate(this.groupId, update);
      if (stored >= COMPACT_DOC_AFTER) {
        this.#compactDoc = true;
        this.#persistSoon();
      }
    } catch (error) {
      // Keep them (in order, before anything newer) for the next save.
      this.#unsavedDoc = [...changes, ...this.#unsavedDoc];
      throw error;
    }
  }

  /** Publishes this device's presence when its name or typing flag changed. */
  #announcePresence(): void {
    if (this.#closed) return;
    const name =
      this.#options.memberName ?? this.#state.members.find((m) => m.id === this.memberId)?.name ?? 'Someone';
    const current = this.awareness.getLocalState() as Partial<PresenceState> | null;
    if (current?.name === name && current.typing === this.#typing && current.member === this.memberId) return;
    setLocalPresence(this.awareness, { member: this.memberId, name, typing: this.#typing, online: true });
  }

  #computeSnapshot(): SyncSnapshot {
    let status: SyncStatus;
    if (!this.#session || this.#transportStatus === 'disconnected') status = 'offline';
    else if (this.#transportStatus === 'connecting') status = 'connecting';
    else if (!this.#transportSynced || this.#busy > 0 || this.#incoming.size > 0) status = 'syncing';
    else status = 'synced';
    const error = this.#transportError ?? this.#lastError;
    return {
      status,
      entries: this.#log.size,
      pending: this.#log.pendingCount,
      rejected: this.#rejectedKeys.size,
      forks: this.#log.forks().length,
      ...(error !== undefined ? { lastError: error } : {}),
    };
  }

  #refreshSnapshot(): void {
    const next = this.#computeSnapshot();
    const prev = this.#snapshot;
    if (
      prev.status === next.status &&
      prev.entries === next.entries &&
      prev.pending === next.pending &&
      prev.rejected === next.rejected &&
      prev.forks === next.forks &&
      prev.lastError === next.lastError
    ) {
      return;
    }
    const becameSynced = next.status === 'synced' && prev.status !== 'synced';
    this.#snapshot = next;
    if (becameSynced) {
      void this.#store.updateGroup(this.groupId, { lastSyncedAt: this.#now() }).catch(() => {
        // A group opened without a group record (tests, tools) has nowhere to note it.
      });
    }
    for (const listener of this.#snapshotListeners) listener(next);
  }
}

function isSameBytes(value: unknown, bytes: Uint8Array): boolean {
  return value === bytes || (value instanceof Uint8Array && equalBytes(value, bytes));
}

function emptyReport(log: GroupLog): IngestReport {
  return {
    accepted: [],
    rejected: [],
    duplicates: 0,
    pending: log.pendingCount,
    forks: [],
    signaturesVerified: 0,
  };
}
