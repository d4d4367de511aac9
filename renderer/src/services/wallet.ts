/**
 * The app service: one per app. It composes the local store, one GroupSync per group and the
 * core functions into the actions the screens call, and publishes plain snapshots for React.
 * It holds no business rules of its own: validation, verification, folding and balances all
 * live in shared/.
 */
import { WalletError } from '../../../shared/errors';
import type { Identity } from '../../../shared/crypto/identity';
import type { WalletEventInput } from '../../../shared/ledger/envelope';
import type { EventOf, ExpenseInput } from '../../../shared/ledger/events';
import type { ConflictState, EntryId, GroupId, GroupState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId } from '../../../shared/money/types';
import type { GroupSync, SyncSnapshot } from '../../../shared/sync/group-sync';
import type { GroupRecord, IdentityRecord, Store } from '../../../shared/sync/store';
import type { TransportFactory } from '../../../shared/sync/transport';
import { myBalances } from '../lib/balances';
import { fromBase64Url, toBase64Url } from '../lib/base64url';
import { type Invite, isValidRelayUrl } from '../lib/invite';
import type { AppSnapshot, ArrivalItem, GroupSnapshot, GroupSummary, Peer, SyncView } from './types';
import { DISPLAY_NAME, type FirstLook, memberIdOfRecord, readFirstLook } from './firstLook';
import {
  type ArrivalCounter,
  arrivalCounterOf,
  type CachedView,
  digestOfEntries,
  type EntrySetDigest,
  isCacheable,
  primeView,
  type ViewStore,
  viewRow,
  viewStoreOf,
} from './viewCache';

type SyncKit = typeof import('./syncKit');

/** The verifier, Yjs and crypto: fetched once, after the first screen (see syncKit.ts). */
let syncKit: Promise<SyncKit> | undefined;
export function loadSyncKit(): Promise<SyncKit> {
  syncKit ??= import('./syncKit').catch((error: unknown) => {
    syncKit = undefined; // a failed fetch may be retried
    throw error;
  });
  return syncKit;
}

/** Everything the service needs from its surroundings (browser, Electron, or a test). */
export interface WalletDeps {
  openStore(): Promise<Store>;
  /** May load the transport's code first (the browser build fetches y-websocket on demand). */
  transport(relayUrl: string): TransportFactory | Promise<TransportFactory>;
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
  /**
   * What the start-up prefetch read straight from IndexedDB while the code loaded
   * (boot/prefetch.ts); null or absent: start reads it through the store.
   */
  readonly firstLook?: Promise<FirstLook | null>;
  /**
   * Resolves when background work (loading a group's entries, Yjs, the relay connection, saving
   * a view) can run without getting in the user's way: in the browser, after the first paint,
   * once the user has paused and the page is idle, and never later than a few seconds.
   * Default: at once.
   */
  idle?(): Promise<void>;
  /**
   * Installs faster primitives for opening many entries (the browser: libsodium's WebAssembly,
   * services/fastOpen.ts) before a large local job such as restoring a backup. Never fails: where
   * it cannot, the portable ones stay. Default: nothing to install.
   */
  fastCrypto?(): Promise<unknown>;
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

/** Entries per restore step: small enough to show progress, large enough to verify in batches. */
const RESTORE_CHUNK = 500;
/** A group's view is saved once its state has been still this long (ms), in idle time. */
const VIEW_SAVE_DELAY_MS = 2_000;

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
  #identityRecord: IdentityRecord | undefined;
  #identity: Promise<Identity> | undefined;
  #configuredRelay: string | undefined;
  /** Resolves once the configured relay is known (start-up does not wait for it). */
  #relayKnown: Promise<void> = Promise.resolve();
  #stopped = false;
  /** Set once something needs the groups now: background work stops waiting for the user to pause. */
  #hurried = false;
  #wake!: () => void;
  readonly #woken = new Promise<void>((resolve) => {
    this.#wake = resolve;
  });

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

  // ------------------------------------------------------------ background work

  /** Resolves when background work may run (deps.idle), or at once when something is waiting for it. */
  backgroundTurn(): Promise<void> {
    if (this.#hurried || !this.deps.idle) return Promise.resolve();
    return Promise.race([this.deps.idle(), this.#woken]);
  }

  /** A write or a look at the log needs the groups open: open them without waiting for a pause. */
  hurry(): void {
    if (this.#hurried) return;
    this.#hurried = true;
    this.#wake();
  }

  // ------------------------------------------------------------ lifecycle

  /**
   * Starts the wallet in two steps. First the screens: identity, groups and each group's cached
   * view (viewCache.ts) are read and the app is 'ready' with them. Then, after the first paint,
   * each group's sync opens in turn (stored entries into the verifier, fold, Yjs, relay); its
   * state replaces the cached one. Resolves when every group is open.
   */
  async start(): Promise<void> {
    try {
      // Look-ups the first screen does not need run alongside and land when they land
      // (createGroup waits for the relay).
      this.#relayKnown = this.deps
        .configuredRelay()
        .catch(() => undefined)
        .then((relay) => {
          this.#configuredRelay = relay;
          this.#set({ relayUrl: this.relayUrl() });
        });
      void this.deps
        .secretProtection()
        .catch(() => false)
        .then((secretProtected) => this.#set({ secretProtected }));
      const locked = await this.deps.acquireWriterLock();
      if (!locked) {
        this.#set({ phase: 'locked' });
        return;
      }
      const opening = this.deps.openStore();
      opening.catch(() => undefined); // awaited below; a failure is reported there
      // What main.tsx read while the code loaded; without it (tests, old schema) the store.
      const prefetched = (await this.deps.firstLook?.catch(() => null)) ?? null;
      const look = prefetched ?? (await readFirstLook(await opening));
      const { groups } = look;
      for (const g of groups) if (g.view) primeView(g.view);
      const store = await opening;
      this.#store = store;
      const record = look.identity;
      if (!record) {
        this.#set({ phase: 'needs-identity' });
        return;
      }
      this.#identityRecord = record;
      const id = memberIdOfRecord(record);
      const name = look.displayName ?? id.slice(0, 8);
      // Sessions compute their first snapshot (joined or not) from `me`: set it first.
      this.#set({ me: { id, name } });
      for (const { record: r, view, unseen } of groups) {
        this.#sessions.set(r.id, new GroupSession(this, r, store, { view, unseen }));
      }
      this.refreshGroups();
      this.#set({ phase: 'ready', opening: groups.length });
      // Groups with nothing to show open first and at once; the others when the user pauses.
      const order = [...groups.filter((g) => !g.view), ...groups.filter((g) => g.view)];
      for (const { record: r, view } of order) {
        if (view) await this.backgroundTurn();
        if (this.#stopped) return;
        const session = this.#sessions.get(r.id);
        try {
          if (session) await this.#attachSync(session, r);
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
    this.#stopped = true;
    for (const s of this.#sessions.values()) await s.close();
    this.#sessions.clear();
    await this.#store?.close();
  }

  #requireStore(): Store {
    if (!this.#store) throw new WalletError('not_ready', 'The wallet is still starting.');
    return this.#store;
  }

  /** The signing identity, loaded with the sync code on first use. */
  #loadIdentity(): Promise<Identity> {
    const record = this.#identityRecord;
    if (!record) return Promise.reject(new WalletError('no_identity', 'Create your identity first.'));
    this.#identity ??= (async () => {
      const kit = await loadSyncKit();
      const secret = record.wrapped ? await this.deps.unprotectSecret(record.secretKey) : record.secretKey;
      const identity = kit.importSecretKey(secret);
      if (kit.memberIdOf(identity.publicKey) !== memberIdOfRecord(record)) {
        throw new WalletError('invalid_key', 'The stored identity does not match its public key.');
      }
      return identity;
    })();
    this.#identity.catch(() => {
      this.#identity = undefined;
    });
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
    if (this.#identityRecord)
      throw new WalletError('identity_exists', 'This device already has an identity.');
    const kit = await loadSyncKit();
    const identity = kit.generateIdentity();
    const { bytes, wrapped } = await this.deps.protectSecret(identity.secretKey);
    const record: IdentityRecord = {
      publicKey: identity.publicKey,
      secretKey: bytes,
      wrapped,
      createdAt: this.deps.now(),
    };
    await store.putIdentity(record);
    await store.setSetting(DISPLAY_NAME, name);
    this.#identityRecord = record;
    this.#identity = Promise.resolve(identity);
    this.#set({ me: { id: kit.memberIdOf(identity.publicKey), name }, phase: 'ready' });
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
    const [kit] = await Promise.all([loadSyncKit(), this.#relayKnown]);
    const relay = this.relayUrl();
    const record: GroupRecord = {
      id: kit.generateGroupId(),
      name: groupName,
      groupKey: kit.generateGroupKey(),
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
    if (!this.#identityRecord) throw new WalletError('no_identity', 'Create your identity first.');
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

  /** A new group (created or joined here): its session, with its sync open. */
  async #openSession(record: GroupRecord): Promise<GroupSession> {
    const store = this.#requireStore();
    const session = new GroupSession(this, record, store, {});
    this.#sessions.set(record.id, session);
    try {
      await this.#attachSync(session, record);
    } catch (error) {
      this.#sessions.delete(record.id);
      throw error;
    }
    return session;
  }

  /** Opens a group's sync from the store and hands it to its session, then connects it. */
  async #attachSync(session: GroupSession, record: GroupRecord): Promise<void> {
    let sync: GroupSync;
    try {
      const [kit, identity] = await Promise.all([loadSyncKit(), this.#loadIdentity()]);
      sync = await kit.GroupSync.open({
        groupId: record.id,
        groupKey: record.groupKey,
        identity,
        store: this.#requireStore(),
        memberName: this.displayName,
        now: this.deps.now,
        // The document (megabytes for a large group) is applied when the user pauses too.
        scheduleDocLoad: (load) => void this.backgroundTurn().then(load),
      });
    } catch (error) {
      session.fail(error);
      throw error;
    }
    if (!session.attach(sync)) return; // closed meanwhile: attach closed the sync
    if (record.relayUrl && isValidRelayUrl(record.relayUrl)) {
      let factory: TransportFactory;
      try {
        factory = await this.deps.transport(record.relayUrl);
      } catch (error) {
        // The transport's code could not be loaded: the group works offline, as without a relay.
        console.warn('Could not load the relay transport:', error);
        return;
      }
      if (!session.closed) sync.connect(factory);
    }
  }
}

function checkName(name: string): string {
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 80) {
    throw new WalletError('invalid_name', 'A name needs 1 to 80 characters.');
  }
  return trimmed;
}

/** What a session starts with before its sync is open. */
interface SessionStart {
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
        ? syncView(sync.snapshot)
        : { phase: relay && isValidRelayUrl(relay) ? 'connecting' : 'offline', pending: 0, rejected: 0 },
      loading: !sync && this.#failure === null,
      peers,
      relayUrl: relay,
      unseen,
      error: this.#joinError ?? this.#failure ?? sync?.snapshot.lastError ?? null,
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

  /** A joiner writes member.joined once the group's creation has arrived, so it folds after it. */
  async #ensureJoined(state: GroupState): Promise<void> {
    const me = this.wallet.memberId;
    const sync = this.#sync;
    if (!me || !sync || this.#joining || state.createdBy === null) return;
    if (state.members.some((m) => m.id === me)) return;
    if (sync.entries().some((e) => e.header.author === me)) return;
    this.#joining = true;
    try {
      await sync.append({ type: 'member.joined', name: this.wallet.displayName });
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
    if (this.#unseenTimer !== undefined || this.#closed) return;
    this.#unseenTimer = setTimeout(() => {
      this.#unseenTimer = undefined;
      void this.#countUnseen().then((count) => {
        if (count !== this.#snapshot.unseen) this.#publish(count);
      });
    }, 250);
  }

  /** How many entries arrived from others since the user last looked (from the store's indexes where it can). */
  async #countUnseen(): Promise<number> {
    const me = this.wallet.memberId;
    if (this.#counter && me) {
      const record = await this.store.getGroup(this.groupId);
      return this.#counter.countArrivals(this.groupId, record?.lastSeenAt ?? this.#record.lastSeenAt, me);
    }
    return (await this.arrivals()).length;
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
    const { state } = await this.whenOpen();
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
    for (const i of state.ignored) {
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
    const sync = await this.whenOpen();
    await sync.whenIdle();
    const entries = sync.entries();
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
    const [{ importBackup }, { Y, ENTRIES_MAP }, sync] = await Promise.all([
      import('../../../shared/statement/backup'),
      loadSyncKit(),
      this.whenOpen(),
      // A backup is opened twice (the file as a whole, then each entry as it arrives): offline
      // there was no connection yet to load the fast cipher with.
      this.wallet.deps.fastCrypto?.(),
    ]);
    const parsed = await importBackup(text, { groupId: this.groupId, groupKey: this.#record.groupKey });
    if (!parsed.ok) throw parsed.error;
    const all = parsed.value.log.entries();
    const known = new Set(sync.entries().map((e) => e.id));
    const fresh = all.filter((e) => !known.has(e.id));
    const rejectedBefore = sync.snapshot.rejected + sync.snapshot.forks;
    onProgress(0, fresh.length);
    for (let i = 0; i < fresh.length; i += RESTORE_CHUNK) {
      const chunk = fresh.slice(i, i + RESTORE_CHUNK);
      // A remote-origin update: GroupSync verifies and stores what arrives this way.
      const carrier = new Y.Doc();
      const map = carrier.getMap(ENTRIES_MAP);
      carrier.transact(() => {
        for (const e of chunk) map.set(e.id, e.bytes);
      });
      Y.applyUpdate(sync.doc, Y.encodeStateAsUpdate(carrier), 'backup');
      carrier.destroy();
      await sync.whenIdle();
      onProgress(Math.min(i + RESTORE_CHUNK, fresh.length), fresh.length);
    }
    const rejected = sync.snapshot.rejected + sync.snapshot.forks - rejectedBefore;
    // A restore changes the whole group: cache it now rather than when the page next idles.
    await this.#saveView().catch(() => undefined);
    return { added: fresh.length - rejected, skipped: all.length - fresh.length, rejected };
  }

  // ------------------------------------------------------------ sharing

  invite(): Invite | null {
    const relay = this.#record.relayUrl;
    if (!relay || !isValidRelayUrl(relay)) return null;
    return { relay, groupId: this.groupId, key: toBase64Url(this.#record.groupKey) };
  }
}
