/**
 * The app service: one per app. It composes the local store, one GroupSync per group and the
 * core functions into the actions the screens call, and publishes plain snapshots for React.
 * It holds no business rules of its own: validation, verification, folding and balances all
 * live in shared/.
 */
import * as Y from 'yjs';
import { WalletError } from '../../../shared/errors';
import { generateGroupId, generateGroupKey } from '../../../shared/crypto/group-key';
import {
  generateIdentity,
  type Identity,
  importSecretKey,
  memberIdOf,
} from '../../../shared/crypto/identity';
import type { WalletEventInput } from '../../../shared/ledger/envelope';
import type { EventOf, ExpenseInput } from '../../../shared/ledger/events';
import type { ConflictState, EntryId, GroupId, GroupState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId } from '../../../shared/money/types';
import { ENTRIES_MAP, GroupSync, type SyncSnapshot } from '../../../shared/sync/group-sync';
import type { GroupRecord, Store } from '../../../shared/sync/store';
import type { TransportFactory } from '../../../shared/sync/transport';
import { fromBase64Url, toBase64Url } from '../lib/base64url';
import { type Invite, isValidRelayUrl } from '../lib/invite';
import { myBalances } from '../lib/balances';
import type { AppSnapshot, ArrivalItem, GroupSnapshot, GroupSummary, Peer, SyncView } from './types';

/** Everything the service needs from its surroundings (browser, Electron, or a test). */
export interface WalletDeps {
  openStore(): Promise<Store>;
  transport(relayUrl: string): TransportFactory;
  /** The relay this installation is configured with (desktop relay, web host's config.json). */
  configuredRelay(): Promise<string | undefined>;
  protectSecret(secret: Uint8Array): Promise<{ bytes: Uint8Array; wrapped: boolean }>;
  unprotectSecret(stored: Uint8Array): Promise<Uint8Array>;
  secretProtection(): Promise<boolean>;
  notify(title: string, body: string): void;
  /**
   * Takes this device's exclusive hold on the wallet. Two tabs writing as the same identity
   * would give two different entries the same seq, a fork that costs the member their history.
   * Resolves false when another tab or window already holds it.
   */
  acquireWriterLock(): Promise<boolean>;
  now(): number;
  /** Relay used when neither the user nor the host configured one. */
  readonly fallbackRelay: string;
}

/** The relay override the user set in settings ('' = none). */
export interface RelayOverride {
  get(): { readonly relayUrl: string };
}

/** One problem to explain on the review screen: a refused entry, a fork, or an ignored event. */
export interface Problem {
  readonly kind: 'rejected' | 'fork' | 'ignored';
  readonly key: string;
  readonly code: string;
  readonly message: string;
  readonly entryId: EntryId | null;
  readonly author: MemberId | null;
  readonly at: number | null;
}

export interface RestoreReport {
  readonly added: number;
  readonly skipped: number;
  readonly rejected: number;
}

type Listener = () => void;

const DISPLAY_NAME = 'displayName';
/** Entries per restore step: small enough to show progress, large enough to verify in batches. */
const RESTORE_CHUNK = 500;

function syncView(s: SyncSnapshot): SyncView {
  return { phase: s.status, pending: s.pending, rejected: s.rejected + s.forks };
}

export class WalletService {
  #snapshot: AppSnapshot = {
    phase: 'loading',
    error: null,
    me: null,
    groups: [],
    relayUrl: '',
    secretProtected: false,
    opening: 0,
  };
  readonly #listeners = new Set<Listener>();
  readonly #sessions = new Map<GroupId, GroupSession>();
  #store: Store | undefined;
  #identity: Identity | undefined;
  #configuredRelay: string | undefined;

  constructor(
    private readonly relayPrefs: RelayOverride,
    readonly deps: WalletDeps,
  ) {}

  // ------------------------------------------------------------ snapshots

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): AppSnapshot => this.#snapshot;

  #set(patch: Partial<AppSnapshot>): void {
    this.#snapshot = { ...this.#snapshot, ...patch };
    for (const l of this.#listeners) l();
  }

  /** Rebuilds the group list (called by sessions when their state or status changes). */
  refreshGroups(): void {
    const me = this.#snapshot.me?.id;
    const groups: GroupSummary[] = [...this.#sessions.values()].map((s) => s.summary(me));
    this.#set({ groups });
  }

  // ------------------------------------------------------------ lifecycle

  async start(): Promise<void> {
    try {
      // Read-only look-ups start at once, in parallel with the lock and the store (start-up time).
      const configured = this.deps.configuredRelay().catch(() => undefined);
      const secretProtected = this.deps.secretProtection().catch(() => false);
      if (!(await this.deps.acquireWriterLock())) {
        this.#set({ phase: 'locked' });
        return;
      }
      const [store, relay, isProtected] = await Promise.all([
        this.deps.openStore(),
        configured,
        secretProtected,
      ]);
      this.#store = store;
      this.#configuredRelay = relay;
      this.#set({ relayUrl: this.relayUrl(), secretProtected: isProtected });
      const record = await this.#store.getIdentity();
      if (!record) {
        this.#set({ phase: 'needs-identity' });
        return;
      }
      const secret = record.wrapped ? await this.deps.unprotectSecret(record.secretKey) : record.secretKey;
      this.#identity = importSecretKey(secret);
      const id = memberIdOf(this.#identity.publicKey);
      const name = (await this.#store.getSetting<string>(DISPLAY_NAME)) ?? id.slice(0, 8);
      const groups = await this.#store.listGroups();
      // Ready at once; groups open one by one and appear as they do (a big group does not hold up the rest).
      this.#set({ me: { id, name }, phase: 'ready', opening: groups.length });
      for (const group of groups) {
        try {
          await this.#openSession(group);
        } finally {
          this.#set({ opening: this.#snapshot.opening - 1 });
          this.refreshGroups();
        }
      }
    } catch (error) {
      this.#set({ phase: 'error', error: error instanceof Error ? error.message : String(error) });
    }
  }

  /** Closes every group (persisting their documents) and the store. */
  async stop(): Promise<void> {
    for (const s of this.#sessions.values()) await s.close();
    this.#sessions.clear();
    await this.#store?.close();
  }

  #requireStore(): Store {
    if (!this.#store) throw new WalletError('not_ready', 'The wallet is still starting.');
    return this.#store;
  }

  #requireIdentity(): Identity {
    if (!this.#identity) throw new WalletError('no_identity', 'Create your identity first.');
    return this.#identity;
  }

  get memberId(): MemberId | undefined {
    return this.#snapshot.me?.id;
  }

  get displayName(): string {
    return this.#snapshot.me?.name ?? '';
  }

  /** The relay for new groups: the user's override, else the configured one, else the fallback. */
  relayUrl(): string {
    const override = this.relayPrefs.get().relayUrl.trim();
    if (override && isValidRelayUrl(override)) return override;
    if (this.#configuredRelay && isValidRelayUrl(this.#configuredRelay)) return this.#configuredRelay;
    return this.deps.fallbackRelay;
  }

  refreshRelay(): void {
    this.#set({ relayUrl: this.relayUrl() });
  }

  // ------------------------------------------------------------ identity

  async createIdentity(displayName: string): Promise<void> {
    const store = this.#requireStore();
    const name = checkName(displayName);
    if (this.#identity) throw new WalletError('identity_exists', 'This device already has an identity.');
    const identity = generateIdentity();
    const { bytes, wrapped } = await this.deps.protectSecret(identity.secretKey);
    await store.putIdentity({
      publicKey: identity.publicKey,
      secretKey: bytes,
      wrapped,
      createdAt: this.deps.now(),
    });
    await store.setSetting(DISPLAY_NAME, name);
    this.#identity = identity;
    this.#set({ me: { id: memberIdOf(identity.publicKey), name }, phase: 'ready' });
  }

  /** Renames this device's member everywhere: the setting, and a member.renamed in each group. */
  async rename(displayName: string): Promise<void> {
    const name = checkName(displayName);
    await this.#requireStore().setSetting(DISPLAY_NAME, name);
    const me = this.#snapshot.me;
    if (me) this.#set({ me: { ...me, name } });
    for (const s of this.#sessions.values()) await s.renameMe(name);
    this.refreshGroups();
  }

  // ------------------------------------------------------------ groups

  session(groupId: string): GroupSession | undefined {
    return this.#sessions.get(groupId);
  }

  async createGroup(name: string, currency: CurrencyCode): Promise<GroupId> {
    const store = this.#requireStore();
    const groupName = checkName(name);
    const relay = this.relayUrl();
    const record: GroupRecord = {
      id: generateGroupId(),
      name: groupName,
      groupKey: generateGroupKey(),
      relayUrl: relay,
      createdAt: this.deps.now(),
      lastSyncedAt: null,
      lastSeenAt: this.deps.now(),
    };
    await store.putGroup(record);
    const session = await this.#openSession(record);
    try {
      await session.append({
        type: 'group.created',
        name: groupName,
        currency,
        memberName: this.displayName,
      });
    } catch (error) {
      // A group nobody created is useless: remove it rather than leave a broken entry in the list.
      await session.close();
      this.#sessions.delete(record.id);
      await store.deleteGroup(record.id);
      this.refreshGroups();
      throw error;
    }
    this.refreshGroups();
    return record.id;
  }

  /** Stores the group from an invite and starts syncing; the join entry follows once the history arrives. */
  async joinGroup(invite: Invite): Promise<GroupId> {
    const store = this.#requireStore();
    this.#requireIdentity();
    const existing = this.#sessions.get(invite.groupId);
    if (existing) return invite.groupId;
    const record: GroupRecord = {
      id: invite.groupId,
      name: invite.groupId.slice(0, 8),
      groupKey: fromBase64Url(invite.key),
      relayUrl: invite.relay,
      createdAt: this.deps.now(),
      lastSyncedAt: null,
      lastSeenAt: this.deps.now(),
    };
    await store.putGroup(record);
    await this.#openSession(record);
    this.refreshGroups();
    return record.id;
  }

  invite(groupId: GroupId): Invite | null {
    return this.#sessions.get(groupId)?.invite() ?? null;
  }

  async #openSession(record: GroupRecord): Promise<GroupSession> {
    const sync = await GroupSync.open({
      groupId: record.id,
      groupKey: record.groupKey,
      identity: this.#requireIdentity(),
      store: this.#requireStore(),
      memberName: this.displayName,
      now: this.deps.now,
      scheduleDocLoad: whenIdle,
    });
    const session = new GroupSession(this, record, sync, this.#requireStore());
    this.#sessions.set(record.id, session);
    if (record.relayUrl && isValidRelayUrl(record.relayUrl))
      sync.connect(this.deps.transport(record.relayUrl));
    session.start();
    return session;
  }
}

/**
 * Runs a group's deferred sync-document load once the page is idle: the expense list and
 * balances come from the store alone and paint first; the relay connection waits for it.
 */
function whenIdle(load: () => void): void {
  if (typeof globalThis.requestIdleCallback === 'function')
    globalThis.requestIdleCallback(load, { timeout: 500 });
  else setTimeout(load, 0);
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 80) {
    throw new WalletError('invalid_name', 'A name needs 1 to 80 characters.');
  }
  return trimmed;
}

/** One open group: its sync binding plus the actions and snapshot the group screens use. */
export class GroupSession {
  readonly groupId: GroupId;
  #record: GroupRecord;
  #snapshot: GroupSnapshot;
  readonly #listeners = new Set<Listener>();
  readonly #unsubscribe: (() => void)[] = [];
  #joining = false;
  #joinError: string | null = null;
  #unseenTimer: ReturnType<typeof setTimeout> | undefined;
  #lastNotifiedLamport: number;
  #neverSynced: boolean;

  constructor(
    private readonly wallet: WalletService,
    record: GroupRecord,
    readonly sync: GroupSync,
    private readonly store: Store,
  ) {
    this.groupId = record.id;
    this.#record = record;
    this.#neverSynced = record.lastSyncedAt === null;
    this.#lastNotifiedLamport = sync.state.maxLamport;
    this.#snapshot = this.#compute(0);
  }

  start(): void {
    this.#unsubscribe.push(
      this.sync.onState((state) => this.#onState(state)),
      this.sync.subscribe((s) => this.#onSync(s)),
      this.sync.onPresence(() => this.#publish()),
    );
    this.#onState(this.sync.state);
    this.#countUnseenSoon();
  }

  async close(): Promise<void> {
    for (const off of this.#unsubscribe.splice(0)) off();
    clearTimeout(this.#unseenTimer);
    await this.sync.close();
  }

  // ------------------------------------------------------------ snapshot

  subscribe = (listener: Listener): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };

  getSnapshot = (): GroupSnapshot => this.#snapshot;

  get state(): GroupState {
    return this.sync.state;
  }

  #compute(unseen: number): GroupSnapshot {
    const state = this.sync.state;
    const me = this.wallet.memberId;
    const joined = state.members.some((m) => m.id === me);
    const known = new Set(state.members.map((m) => m.id));
    const peers: Peer[] = this.sync
      .presence()
      .filter((p) => known.has(p.member))
      .map((p) => ({ member: p.member, name: p.name, typing: p.typing }));
    return {
      groupId: this.groupId,
      state: state.createdBy === null && !joined ? null : state,
      sync: syncView(this.sync.snapshot),
      peers,
      relayUrl: this.#record.relayUrl,
      unseen,
      error: this.#joinError ?? this.sync.snapshot.lastError ?? null,
      joined,
    };
  }

  #publish(unseen = this.#snapshot.unseen): void {
    this.#snapshot = this.#compute(unseen);
    for (const l of this.#listeners) l();
    this.wallet.refreshGroups();
  }

  summary(me: MemberId | undefined): GroupSummary {
    const state = this.sync.state;
    return {
      id: this.groupId,
      name: state.createdBy ? state.name : this.#record.name,
      currency: state.currency,
      myBalances: me && state.createdBy ? myBalances(state, me) : [],
      sync: syncView(this.sync.snapshot),
      unseen: this.#snapshot.unseen,
    };
  }

  #onState(state: GroupState): void {
    void this.#ensureJoined(state);
    if (state.createdBy && state.name !== this.#record.name) {
      this.#record = { ...this.#record, name: state.name };
      void this.store.updateGroup(this.groupId, { name: state.name }).catch(() => undefined);
    }
    this.#notifyNew(state);
    this.#countUnseenSoon();
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

  /** A joiner writes member.joined once the group's creation has arrived, so it folds after it. */
  async #ensureJoined(state: GroupState): Promise<void> {
    const me = this.wallet.memberId;
    if (!me || this.#joining || state.createdBy === null) return;
    if (state.members.some((m) => m.id === me)) return;
    if (this.sync.entries().some((e) => e.header.author === me)) return;
    this.#joining = true;
    try {
      await this.sync.append({ type: 'member.joined', name: this.wallet.displayName });
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
    for (const r of requests) {
      this.wallet.deps.notify(state.name, `${names.get(r.to) ?? '?'} → ${names.get(r.from) ?? '?'}`);
    }
  }

  #countUnseenSoon(): void {
    if (this.#unseenTimer !== undefined) return;
    this.#unseenTimer = setTimeout(() => {
      this.#unseenTimer = undefined;
      void this.arrivals().then((list) => {
        if (list.length !== this.#snapshot.unseen) this.#publish(list.length);
      });
    }, 250);
  }

  // ------------------------------------------------------------ writing

  /** Appends an event as this device's member. */
  async append(event: WalletEventInput): Promise<EntryId> {
    const entry = await this.sync.append(event);
    await this.sync.whenIdle();
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
    const me = this.wallet.memberId;
    const member = this.state.members.find((m) => m.id === me);
    if (member && member.name !== name) await this.append({ type: 'member.renamed', name });
  }

  setTyping(typing: boolean): void {
    this.sync.setTyping(typing);
  }

  /**
   * Settles a conflict by writing, on top of the current head, the version the user chose:
   * an update with its data, or a deletion. Every device then sees one agreed version.
   */
  async keepVersion(conflict: ConflictState, versionId: EntryId): Promise<void> {
    this.#requireJoined();
    const expense = this.state.expenses.find((e) => e.id === conflict.expense);
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
    const me = this.wallet.memberId;
    const entries = await this.store.listEntries(this.groupId, { receivedAfter: since, status: 'applied' });
    return entries
      .filter((e) => e.author !== me)
      .map((e) => ({ entryId: e.id, author: e.author, receivedAt: e.receivedAt }));
  }

  async markSeen(): Promise<void> {
    const now = this.wallet.deps.now();
    this.#record = await this.store.updateGroup(this.groupId, { lastSeenAt: now });
    this.#publish(0);
  }

  /** Everything that did not make it into state, explained by code. */
  async problems(): Promise<Problem[]> {
    const out: Problem[] = [];
    for (const r of await this.store.listRejected(this.groupId)) {
      out.push({
        kind: 'rejected',
        key: `${r.bytesHash}:${r.code}`,
        code: r.code,
        message: r.message,
        entryId: r.id,
        author: null,
        at: r.receivedAt,
      });
    }
    for (const e of await this.store.listEntries(this.groupId, { status: 'fork-evidence' })) {
      out.push({
        kind: 'fork',
        key: e.id,
        code: 'fork',
        message: '',
        entryId: e.id,
        author: e.author,
        at: e.receivedAt,
      });
    }
    for (const i of this.state.ignored) {
      out.push({
        kind: 'ignored',
        key: i.entryId,
        code: i.code,
        message: i.message,
        entryId: i.entryId,
        author: i.author,
        at: null,
      });
    }
    return out;
  }

  // ------------------------------------------------------------ backup

  /** JSON backup of every accepted entry, as signed (shared/statement/backup.ts). */
  async exportBackup(onProgress: (done: number, total: number) => void): Promise<string> {
    // Loaded on first use: backups are not needed to show a group.
    const { exportBackup } = await import('../../../shared/statement/backup');
    await this.sync.whenIdle();
    const entries = this.sync.entries();
    const json = exportBackup(
      this.groupId,
      entries.map((e) => e.bytes),
    );
    onProgress(entries.length, entries.length);
    return json;
  }

  /**
   * Restores a backup of this group. The file is verified as a whole first (all or nothing);
   * its entries then enter through the same path as the network's, in chunks, so the group
   * verifier, the store and the relay all see them like any other arrival.
   */
  async importBackup(
    text: string,
    onProgress: (done: number, total: number) => void,
  ): Promise<RestoreReport> {
    const { importBackup } = await import('../../../shared/statement/backup');
    const parsed = await importBackup(text, { groupId: this.groupId, groupKey: this.#record.groupKey });
    if (!parsed.ok) throw parsed.error;
    const all = parsed.value.log.entries();
    const known = new Set(this.sync.entries().map((e) => e.id));
    const fresh = all.filter((e) => !known.has(e.id));
    const rejectedBefore = this.sync.snapshot.rejected + this.sync.snapshot.forks;
    onProgress(0, fresh.length);
    for (let i = 0; i < fresh.length; i += RESTORE_CHUNK) {
      const chunk = fresh.slice(i, i + RESTORE_CHUNK);
      // A remote-origin update: GroupSync verifies and stores what arrives this way.
      const carrier = new Y.Doc();
      const map = carrier.getMap(ENTRIES_MAP);
      carrier.transact(() => {
        for (const e of chunk) map.set(e.id, e.bytes);
      });
      Y.applyUpdate(this.sync.doc, Y.encodeStateAsUpdate(carrier), 'backup');
      carrier.destroy();
      await this.sync.whenIdle();
      onProgress(Math.min(i + RESTORE_CHUNK, fresh.length), fresh.length);
    }
    const rejected = this.sync.snapshot.rejected + this.sync.snapshot.forks - rejectedBefore;
    return { added: fresh.length - rejected, skipped: all.length - fresh.length, rejected };
  }

  // ------------------------------------------------------------ sharing

  invite(): Invite | null {
    const relay = this.#record.relayUrl;
    if (!relay || !isValidRelayUrl(relay)) return null;
    return { relay, groupId: this.groupId, key: toBase64Url(this.#record.groupKey) };
  }
}
