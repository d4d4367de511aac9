/**
 * One group's session: its sync binding plus the actions and snapshot the group screens use.
 * The review lists and backups live in groupReview.ts and groupBackup.ts; this file wires them
 * to the group's store and sync.
 */
import { toHex } from '../lib/hex';
import type { LinkedGroup } from '../../../shared/link/link-ceremony';
import { WalletError } from '../../../shared/errors';
import type { WalletEventInput } from '../../../shared/ledger/envelope';
import type { EventOf, ExpenseInput } from '../../../shared/ledger/events';
import type { ConflictState, EntryId, GroupId, GroupState } from '../../../shared/ledger/types';
import type { MemberId } from '../../../shared/money/types';
import type { GroupSync, SyncSnapshot } from '../../../shared/sync/group-sync';
import type { GroupRecord, Store } from '../../../shared/sync/store';
import { feedLineCount } from '../lib/arrivals';
import { myBalances } from '../lib/balances';
import { reviewCount } from '../lib/reviewCount';
import { toBase64Url } from '../lib/base64url';
import { type Invite, isValidRelayUrl } from '../lib/invite';
import { exportBackupOf, type RestoreReport, restoreBackup } from './groupBackup';
import type { ImportTarget } from './importWriter';
import { arrivalsSince, type Problem, problemsOf } from './groupReview';
import { lanPeerName, syncErrorText, syncView } from './syncView';
import type { ArrivalItem, GroupSnapshot, GroupSummary, Peer } from './types';
import {
  type ArrivalCounter,
  arrivalCounterOf,
  type CachedView,
  type EntrySetDigest,
  digestOfEntries,
  isCacheable,
  type ViewStore,
  viewRow,
  viewStoreOf,
} from './viewCache';
import type { WalletService } from './wallet';

type Listener = () => void;

const withLanPeer = <T extends object>(view: T, name: string | undefined): T =>
  name === undefined ? view : { ...view, lanPeer: name };

/**
 * Up to this many new entries, the unseen count is the number of lines the Review feed shows
 * (one per change, conflict versions left to the conflict list); beyond, the store's count.
 */
const EXACT_UNSEEN_MAX = 1_000;

/** A group's view is saved once its state has been still this long (ms), in idle time. */
const VIEW_SAVE_DELAY_MS = 2_000;

/** What a session starts with before its sync is open. */
export interface SessionStart {
  /** The cached state, when it still matches the stored entries. */
  readonly view?: CachedView | undefined;
  /** "New since I last looked", when the store could count it from its indexes. */
  readonly unseen?: number | undefined;
}

/**
 * One group: its sync binding plus the actions and snapshot the group screens use.
 *
 * A session exists before its sync: at start-up it shows the group's cached view (or "loading")
 * until `attach` hands it the opened GroupSync. Actions wait for the sync; snapshots never do.
 */
export class GroupSession {
  readonly groupId: GroupId;
  #record: GroupRecord;
  #snapshot: GroupSnapshot;
  readonly #listeners = new Set<Listener>();
  readonly #unsubscribe: (() => void)[] = [];
  #sync: GroupSync | undefined;
  readonly #ready: Promise<GroupSync>;
  #resolveReady!: (sync: GroupSync) => void;
  #rejectReady!: (error: unknown) => void;
  #failure: string | null = null;
  #closed = false;
  /** The cached view shown until the sync is attached. */
  #view: CachedView | undefined;
  readonly #views: ViewStore | undefined;
  readonly #counter: ArrivalCounter | undefined;
  /** The entry set of the view last saved (or loaded): saving it again would change nothing. */
  #savedSet: EntrySetDigest | undefined;
  #saveTimer: ReturnType<typeof setTimeout> | undefined;
  #joining = false;
  #joinError: string | null = null;
  #unseenTimer: ReturnType<typeof setTimeout> | undefined;
  #lastNotifiedLamport: number;
  #neverSynced: boolean;

  constructor(
    private readonly wallet: WalletService,
    record: GroupRecord,
    private readonly store: Store,
    first: SessionStart,
  ) {
    this.groupId = record.id;
    this.#record = record;
    this.#neverSynced = record.lastSyncedAt === null;
    this.#view = first.view;
    this.#savedSet = first.view?.set;
    this.#views = viewStoreOf(store);
    this.#counter = arrivalCounterOf(store);
    this.#lastNotifiedLamport = first.view?.state.maxLamport ?? 0;
    this.#ready = new Promise<GroupSync>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    // Actions that fail because the group could not open report it themselves.
    this.#ready.catch(() => undefined);
    this.#snapshot = this.#compute(first.unseen ?? 0);
  }

  /**
   * Hands the opened sync to the session: its state replaces the cached view from now on.
   * Returns false (and closes the sync) when the session was closed meanwhile.
   */
  attach(sync: GroupSync): boolean {
    if (this.#closed) {
      void sync.close();
      return false;
    }
    this.#sync = sync;
    this.#view = undefined;
    this.#lastNotifiedLamport = sync.state.maxLamport;
    this.#unsubscribe.push(
      sync.onState((state) => this.#onState(state)),
      sync.subscribe((s) => this.#onSync(s)),
      sync.onPresence(() => this.#publish()),
    );
    this.#resolveReady(sync);
    this.#onState(sync.state);
    // Opened the slow way (no cached view, or a stale one): cache the state as soon as it is idle.
    if (!this.#savedSet) this.#saveViewSoon(0);
    return true;
  }

  /** The group could not be opened: actions report why. */
  fail(error: unknown): void {
    this.#failure = error instanceof Error ? error.message : String(error);
    this.#rejectReady(error);
    this.#publish();
  }

  get closed(): boolean {
    return this.#closed;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const off of this.#unsubscribe.splice(0)) off();
    clearTimeout(this.#unseenTimer);
    clearTimeout(this.#saveTimer);
    await this.#sync?.close();
  }

  /** Store writes in progress or queued for this group (0 before its sync opens). */
  pendingWrites(): number {
    return this.#sync?.pendingWrites ?? 0;
  }

  /** Received entries no key of this device opens (docs/protocol.md §15); 0 before its sync opens. */
  get unreadableCount(): number {
    return this.#sync?.unreadableCount ?? 0;
  }

  /** The group's sync, once open. @throws WalletError `not_ready` before. */
  get sync(): GroupSync {
    if (!this.#sync) throw new WalletError('not_ready', 'This group is still opening.');
    return this.#sync;
  }

  /** Resolves with the group's sync once it is open (actions wait here, and hurry it). */
  whenOpen(): Promise<GroupSync> {
    this.wallet.hurry();
    return this.#ready;
  }

  // ------------------------------------------------------------ snapshot

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): GroupSnapshot => this.#snapshot;

  /** The current state: the sync's, or the cached view's until the sync is open (null: neither yet). */
  get state(): GroupState | null {
    return this.#sync?.state ?? this.#view?.state ?? null;
  }

  #compute(unseen: number): GroupSnapshot {
    const sync = this.#sync;
    const state = this.state;
    const me = this.wallet.memberId;
    const joined = state?.members.some((m) => m.id === me) ?? false;
    const known = new Set(state?.members.map((m) => m.id));
    const peers: Peer[] = sync
      ? sync
          .presence()
          .filter((p) => known.has(p.member))
          .map((p) => ({ member: p.member, name: p.name, typing: p.typing }))
      : [];
    const relay = this.#record.relayUrl;
    return {
      groupId: this.groupId,
      state: state === null || (state.createdBy === null && !joined) ? null : state,
      sync: sync
        ? withLanPeer(
            syncView(sync.snapshot),
            lanPeerName(sync.snapshot, (id) => sync.presenceVia(id)),
          )
        : {
            phase: relay && isValidRelayUrl(relay) ? 'connecting' : 'offline',
            pending: 0,
            rejected: 0,
            lastSyncedAt: this.#record.lastSyncedAt,
          },
      loading: !sync && this.#failure === null,
      peers,
      relayUrl: relay,
      unseen,
      review: reviewCount(state, unseen),
      error: this.#joinError ?? this.#failure ?? (sync ? syncErrorText(sync.snapshot) : null),
      joined,
    };
  }

  #publish(unseen = this.#snapshot.unseen): void {
    this.#snapshot = this.#compute(unseen);
    for (const l of this.#listeners) l();
    this.wallet.refreshGroups();
  }

  summary(me: MemberId | undefined): GroupSummary {
    const state = this.state;
    const sync = this.#snapshot.sync;
    return {
      id: this.groupId,
      name: state?.createdBy ? state.name : this.#record.name,
      currency: state?.currency ?? '',
      myBalances: me && state?.createdBy ? myBalances(state, me) : [],
      sync,
      unseen: this.#snapshot.unseen,
      review: this.#snapshot.review,
    };
  }

  #onState(state: GroupState): void {
    void this.#ensureJoined(state);
    if (state.createdBy && state.name !== this.#record.name) {
      this.#record = { ...this.#record, name: state.name };
      void this.store.updateGroup(this.groupId, { name: state.name }).catch(() => undefined);
    }
    this.#notifyNew(state);
    this.wallet.deps.reminders?.(state);
    this.#countUnseenSoon();
    this.#saveViewSoon();
    this.#publish();
  }

  #onSync(s: SyncSnapshot): void {
    if (s.status === 'synced' && this.#neverSynced) {
      this.#neverSynced = false;
      // Someone who just joined has not "missed" the group's history: start the review list from now.
      if (this.sync.state.createdBy !== this.wallet.memberId) void this.markSeen();
    }
    this.#publish();
  }

  /**
   * A joiner writes member.joined once the group's creation has arrived, so it folds after it; a
   * linked device of a member writes its device.linked instead.
   */
  async #ensureJoined(state: GroupState): Promise<void> {
    const me = this.wallet.memberId;
    const sync = this.#sync;
    if (!me || !sync || this.#joining || state.createdBy === null) return;
    // Already written here (a join on its way): by this device's key, which on a linked device is not `me`.
    if (sync.entries().some((e) => e.header.author === sync.signerId)) return;
    // This key has written nothing here. When `me` is already a member (through another of their
    // devices), a linked device announces itself with device.linked, and the person's own key
    // opens its chain with a join, which the fold takes as just that (protocol §16).
    const certificate = this.wallet.certificate;
    const member = state.members.some((m) => m.id === me);
    this.#joining = true;
    try {
      if (member && certificate) {
        // With the device's own X25519 key, so later rotated keys are sealed to it too (§15).
        const x25519 = await this.wallet.x25519PublicKey();
        await sync.append({ type: 'device.linked', ...certificate, x25519 });
        return;
      }
      const x25519 = await this.wallet.x25519PublicKey();
      await sync.append({ type: 'member.joined', name: this.wallet.displayName, x25519 });
      this.#joinError = null;
    } catch (error) {
      this.#joinError = error instanceof Error ? error.message : String(error);
      this.#publish();
    } finally {
      this.#joining = false;
    }
  }

  /** System notification for messages and requests from others that arrived while in the background. */
  #notifyNew(state: GroupState): void {
    const me = this.wallet.memberId;
    const since = this.#lastNotifiedLamport;
    this.#lastNotifiedLamport = Math.max(since, state.maxLamport);
    if (since === 0) return;
    const names = new Map(state.members.map((m) => [m.id, m.name]));
    const messages = state.chat.filter((c) => c.lamport > since && c.author !== me);
    const requests = state.requests.filter((r) => r.lamport > since && r.from === me && r.status === 'open');
    const last = messages[messages.length - 1];
    if (last) this.wallet.deps.notify(`${names.get(last.author) ?? '?'} · ${state.name}`, last.text);
    // Expenses, payments, requests and conflicts that involve me: one grouped notification.
    if (me && this.wallet.deps.notices) {
      this.wallet.deps.notices(state, since, me);
      return;
    }
    for (const r of requests) {
      this.wallet.deps.notify(state.name, `${names.get(r.to) ?? '?'} → ${names.get(r.from) ?? '?'}`);
    }
  }

  #countUnseenSoon(): void {
    if (this.#unseenTimer !== undefined || this.#closed) return;
    this.#unseenTimer = setTimeout(() => {
      this.#unseenTimer = undefined;
      void this.#countUnseen().then((count) => {
        if (count !== this.#snapshot.unseen) this.#publish(count);
      });
    }, 250);
  }

  /**
   * What arrived from others since the user last looked: the lines of the Review feed
   * (lib/arrivals.ts), so the badge counts what the feed lists; for a very large backlog, the
   * entries counted from the store's indexes.
   */
  async #countUnseen(): Promise<number> {
    const me = this.wallet.memberId;
    if (this.#counter && me) {
      const record = await this.store.getGroup(this.groupId);
      const since = record?.lastSeenAt ?? this.#record.lastSeenAt;
      const entries = await this.#counter.countArrivals(this.groupId, since, me);
      if (entries === 0 || entries > EXACT_UNSEEN_MAX || !this.#sync) return entries;
    }
    const arrivals = await this.arrivals();
    const state = this.#sync?.state;
    return state ? feedLineCount(arrivals, state) : arrivals.length;
  }

  /**
   * Saves the group's view once its state has been still for a moment, in idle time: only a
   * state that accounts for every accepted entry, and only when the entry set changed.
   */
  #saveViewSoon(delayMs = VIEW_SAVE_DELAY_MS): void {
    if (!this.#views || this.#closed) return;
    if (this.#saveTimer !== undefined) {
      if (delayMs >= VIEW_SAVE_DELAY_MS) return;
      clearTimeout(this.#saveTimer);
    }
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = undefined;
      void this.wallet
        .backgroundTurn()
        .then(() => this.#saveView())
        .catch(() => {
          // Only a cache: the next start opens the group the slow way.
        });
    }, delayMs);
  }

  async #saveView(): Promise<void> {
    const sync = this.#sync;
    const views = this.#views;
    if (!sync || !views || this.#closed) return;
    await sync.whenIdle();
    if (this.#closed) return;
    // Read together, with no await between: the state and the entries it was folded from.
    const state = sync.state;
    const set = digestOfEntries(sync.entries());
    if (!set || !isCacheable(this.groupId, state, set)) return;
    const saved = this.#savedSet;
    if (saved && saved.entries === set.entries && saved.digest === set.digest) return;
    await views.putView(viewRow(this.groupId, state, set));
    this.#savedSet = set;
  }

  // ------------------------------------------------------------ writing

  /**
   * Changes the group key now (protocol §15): after a leaked invite or a lost device, nobody who
   * is not a member (or linked device) reads what is written from here on.
   * @throws WalletError `rotation_failed` with the reason when no new epoch came of it.
   */
  async rotateKey(): Promise<void> {
    const sync = await this.whenOpen();
    const before = sync.state.keys?.epoch ?? 0;
    await sync.keys.rotate();
    await sync.whenIdle();
    if ((sync.state.keys?.epoch ?? 0) <= before) {
      throw new WalletError('rotation_failed', sync.snapshot.lastError ?? 'The group key was not changed.');
    }
  }

  /** Lets a member who joined after a key change read the group (protocol §15; GroupKeys.shareWith). */
  async shareKeysWith(member: MemberId): Promise<void> {
    const sync = await this.whenOpen();
    await sync.keys.shareWith(member);
    await sync.whenIdle();
  }

  /** Appends an event as this device's member (once the group is open). */
  async append(event: WalletEventInput): Promise<EntryId> {
    const sync = await this.whenOpen();
    const entry = await sync.append(event);
    await sync.whenIdle();
    return entry.id;
  }

  #requireJoined(): void {
    if (!this.#snapshot.joined) {
      throw new WalletError('not_member', 'You can write to this group once its history has arrived.');
    }
  }

  async addExpense(expense: ExpenseInput): Promise<EntryId> {
    this.#requireJoined();
    return this.append({ type: 'expense.created', expense });
  }

  async editExpense(expense: EntryId, base: EntryId, data: ExpenseInput): Promise<EntryId> {
    this.#requireJoined();
    return this.append({ type: 'expense.updated', expense, base, data });
  }

  async deleteExpense(expense: EntryId, base: EntryId): Promise<EntryId> {
    this.#requireJoined();
    return this.append({ type: 'expense.deleted', expense, base });
  }

  async recordPayment(p: Omit<EventOf<'payment.recorded'>, 'type'>): Promise<EntryId> {
    this.#requireJoined();
    return this.append({ type: 'payment.recorded', ...p });
  }

  async deletePayment(payment: EntryId): Promise<EntryId> {
    this.#requireJoined();
    return this.append({ type: 'payment.deleted', payment });
  }

  async requestPayment(r: Omit<EventOf<'request.created'>, 'type'>): Promise<EntryId> {
    this.#requireJoined();
    return this.append({ type: 'request.created', ...r });
  }

  async cancelRequest(request: EntryId): Promise<EntryId> {
    this.#requireJoined();
    return this.append({ type: 'request.cancelled', request });
  }

  async sendMessage(text: string, ref?: EventOf<'chat.message'>['ref']): Promise<EntryId> {
    this.#requireJoined();
    return this.append({ type: 'chat.message', text, ...(ref ? { ref } : {}) });
  }

  async renameMe(name: string): Promise<void> {
    const sync = await this.whenOpen();
    const me = this.wallet.memberId;
    const member = sync.state.members.find((m) => m.id === me);
    if (member && member.name !== name) await this.append({ type: 'member.renamed', name });
  }

  setTyping(typing: boolean): void {
    this.#sync?.setTyping(typing);
  }

  /**
   * Settles a conflict by writing, on top of the current head, the version the user chose:
   * an update with its data, or a deletion. Every device then sees one agreed version.
   */
  async keepVersion(conflict: ConflictState, versionId: EntryId): Promise<void> {
    this.#requireJoined();
    const { state } = await this.whenOpen();
    const expense = state.expenses.find((e) => e.id === conflict.expense);
    const version = expense?.versions.find((v) => v.entryId === versionId);
    if (!expense || !version || !conflict.versions.includes(versionId)) {
      throw new WalletError('unknown_version', 'That version is not part of this conflict.');
    }
    if (version.data) {
      await this.append({
        type: 'expense.updated',
        expense: expense.id,
        base: expense.head,
        data: version.data,
      });
      return;
    }
    if (expense.deleted) {
      // The fold refuses deleting an already-deleted head, so confirm the deletion as
      // restore-then-delete: two entries on the head, which also closes the conflict.
      const restored = await this.append({
        type: 'expense.updated',
        expense: expense.id,
        base: expense.head,
        data: expense.data,
      });
      await this.append({ type: 'expense.deleted', expense: expense.id, base: restored });
      return;
    }
    await this.append({ type: 'expense.deleted', expense: expense.id, base: expense.head });
  }

  // ------------------------------------------------------------ review

  /** Entries from other members received since the user last marked the group as seen. */
  async arrivals(): Promise<ArrivalItem[]> {
    const record = await this.store.getGroup(this.groupId);
    const since = record?.lastSeenAt ?? this.#record.lastSeenAt;
    return arrivalsSince(this.store, this.groupId, since, this.wallet.memberId);
  }

  async markSeen(): Promise<void> {
    const now = this.wallet.deps.now();
    this.#record = await this.store.updateGroup(this.groupId, { lastSeenAt: now });
    this.#publish(0);
  }

  /** Everything that did not make it into state, explained by code. */
  async problems(): Promise<Problem[]> {
    const { state } = await this.whenOpen();
    return problemsOf(this.store, this.groupId, state);
  }

  // ------------------------------------------------------------ backup

  /** JSON backup of every accepted entry, as signed (shared/statement/backup.ts). */
  async exportBackup(onProgress: (done: number, total: number) => void): Promise<string> {
    return exportBackupOf(this.groupId, await this.whenOpen(), onProgress);
  }

  /** Restores a backup of this group (groupBackup.ts), then caches the changed group at once. */
  async importBackup(
    text: string,
    onProgress: (done: number, total: number) => void,
  ): Promise<RestoreReport> {
    const [sync] = await Promise.all([
      this.whenOpen(),
      // A backup is opened twice (the file as a whole, then each entry as it arrives): offline
      // there was no connection yet to load the fast cipher with.
      this.wallet.deps.fastCrypto?.(),
    ]);
    const report = await restoreBackup(
      { groupId: this.groupId, groupKey: this.#record.groupKey, sync },
      text,
      onProgress,
    );
    // A restore changes the whole group: cache it now rather than when the page next idles.
    await this.#saveView().catch(() => undefined);
    return report;
  }

  // ------------------------------------------------------------ import

  /** What importWriter.ts needs to write an import as this device (once the group is open and joined). */
  async importTarget(): Promise<ImportTarget> {
    this.#requireJoined();
    const sync = await this.whenOpen();
    return { groupId: this.groupId, groupKey: this.#record.groupKey, sync, now: this.wallet.deps.now };
  }

  // ------------------------------------------------------------ sharing

  /** What a newly linked device of this person is handed for this group (protocol §16), if it has a relay. */
  shareWithDevice(): LinkedGroup | null {
    const relay = this.#record.relayUrl;
    if (!relay || !isValidRelayUrl(relay)) return null;
    const state = this.state;
    const name = state?.createdBy ? state.name : this.#record.name;
    const shared: LinkedGroup = { id: this.groupId, key: toHex(this.#record.groupKey), relay, name };
    // Rotated keys too: the new device was sealed none of the rotations before its link (§15).
    const rotated = this.#sync?.keys.rotationKeys() ?? new Map<string, Uint8Array>();
    if (rotated.size === 0) return shared;
    return { ...shared, epochs: [...rotated].map(([rotation, key]) => ({ rotation, key: toHex(key) })) };
  }

  invite(): Invite | null {
    const relay = this.#record.relayUrl;
    if (!relay || !isValidRelayUrl(relay)) return null;
    const relayToken = this.#sync?.keys.inviteRelayToken;
    const invite = { relay, groupId: this.groupId, key: toBase64Url(this.#record.groupKey) };
    return relayToken === undefined ? invite : { ...invite, relayToken };
  }
}
