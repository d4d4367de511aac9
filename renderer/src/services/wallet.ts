/**
 * The app service: one per app. It composes the local store, one GroupSync per group (each in a
 * GroupSession, groupSession.ts) and the core functions into the actions the screens call, and
 * publishes plain snapshots for React. It holds no business rules of its own: validation,
 * verification, folding and balances all live in shared/.
 */
import type { LinkedGroup } from '../../../shared/link/link-ceremony';
import { WalletError } from '../../../shared/errors';
import type { DeviceCertificate } from '../../../shared/crypto/device-cert';
import type { Identity } from '../../../shared/crypto/identity';
import type { GroupId, GroupState } from '../../../shared/ledger/types';
import type { CurrencyCode, MemberId } from '../../../shared/money/types';
import type { GroupSync } from '../../../shared/sync/group-sync';
import type { GroupRecord, IdentityRecord, Store } from '../../../shared/sync/store';
import type { TransportFactory } from '../../../shared/sync/transport';
import { fromBase64Url } from '../lib/base64url';
import { type Invite, isValidRelayUrl } from '../lib/invite';
import { DISPLAY_NAME, type FirstLook, memberIdOfRecord, readFirstLook, signerIdOfRecord } from './firstLook';
import { GroupSession } from './groupSession';
import type { LanBridge, LanSync } from './lanSync';
import { loadSyncKit } from './syncKitLoader';
import type { AppSnapshot, GroupSummary } from './types';
import { primeView } from './viewCache';

export { GroupSession } from './groupSession';
export type { RestoreReport } from './groupBackup';
export type { Problem } from './groupReview';
export { loadSyncKit } from './syncKitLoader';

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
   * Notifications for what involves this member (services/noticeCenter.ts): called with a group's
   * new state and the Lamport mark of what was already notified. Absent: only chat and requests
   * are notified, the old way.
   */
  notices?(state: GroupState, since: number, me: MemberId): void;
  /** Recurring-expense reminders (services/reminderCenter.ts): called with each folded group state. */
  reminders?(state: GroupState): void;
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
  /**
   * The desktop's LAN sync (relays found on the local network), when the app runs in Electron;
   * absent in a browser. docs/desktop.md, "Sync with devices on this network".
   */
  readonly lan?: LanBridge;
  /** Relay used when neither the user nor the host configured one. */
  readonly fallbackRelay: string;
}

/** The relay override the user set in settings ('' = none). */
export interface RelayOverride {
  get(): { readonly relayUrl: string };
}

type Listener = () => void;

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

  /** Extra LAN transports of every open group (desktop only), loaded with the first group. */
  #lan: Promise<LanSync> | undefined;

  constructor(
    private readonly relayPrefs: RelayOverride,
    readonly deps: WalletDeps,
  ) {}

  /** LanSync, loaded on first use (it needs the group-key crypto, which the first screen does not). */
  #lanSync(): Promise<LanSync> | undefined {
    const bridge = this.deps.lan;
    if (!bridge) return undefined;
    this.#lan ??= import('./lanSync').then((m) => new m.LanSync(bridge, (url) => this.deps.transport(url)));
    return this.#lan;
  }

  /**
   * Calls `listener` with the open groups a member of which is on this network while LAN sync is
   * off (desktop only; never called in a browser). Returns an unsubscribe function.
   */
  onLanNearby(listener: (groupIds: readonly string[]) => void): () => void {
    let off: (() => void) | null = null;
    let stopped = false;
    void this.#lanSync()?.then((lan) => {
      if (!stopped) off = lan.onNearbyGroups(listener);
    });
    return () => {
      stopped = true;
      off?.();
    };
  }

  /** Store writes in progress or queued, over every open group (GroupSync.pendingWrites). */
  pendingWrites(): number {
    let n = 0;
    for (const s of this.#sessions.values()) n += s.pendingWrites();
    return n;
  }

  #lanDetach(groupId: GroupId): void {
    void this.#lan?.then((lan) => lan.detach(groupId));
  }

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
    void this.#lan?.then((lan) => lan.stop());
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
      if (kit.memberIdOf(identity.publicKey) !== signerIdOfRecord(record)) {
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

  /** This identity's X25519 public key (hex), published in its joins for sealing future group keys. */
  async x25519PublicKey(): Promise<string> {
    const [kit, identity] = await Promise.all([loadSyncKit(), this.#loadIdentity()]);
    return kit.x25519PublicHex(identity);
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
    const name = this.#checkNewIdentity(displayName);
    const kit = await loadSyncKit();
    await this.#keepIdentity(kit.generateIdentity(), name);
  }

  /**
   * Restores an identity from its secret (a backup) as a NEW device of that person (protocol §16):
   * a fresh device key, certified by the restored identity, signs everything from here; the
   * identity secret itself is not kept. So the old device may go on writing: no fork.
   */
  async restoreIdentity(secretKey: Uint8Array, displayName: string, deviceName?: string): Promise<void> {
    const name = this.#checkNewIdentity(displayName);
    const [kit, certs] = await Promise.all([loadSyncKit(), import('../../../shared/crypto/device-cert')]);
    const person = kit.importSecretKey(secretKey);
    const { device, certificate } = certs.certifyNewDevice(person, this.deps.now(), deviceName);
    await this.#keepIdentity(device, name, certificate);
  }

  /** The display name checked, on a device that has no identity yet. */
  #checkNewIdentity(displayName: string): string {
    this.#requireStore();
    const name = checkName(displayName);
    if (this.#identityRecord)
      throw new WalletError('identity_exists', 'This device already has an identity.');
    return name;
  }

  /** Stores the key this device signs with (and its certificate on a linked device); the wallet is ready. */
  async #keepIdentity(key: Identity, name: string, certificate?: DeviceCertificate): Promise<void> {
    const store = this.#requireStore();
    const { bytes, wrapped } = await this.deps.protectSecret(key.secretKey);
    const record: IdentityRecord = {
      publicKey: key.publicKey,
      secretKey: bytes,
      wrapped,
      createdAt: this.deps.now(),
      ...(certificate ? { certificate } : {}),
    };
    await store.putIdentity(record);
    await store.setSetting(DISPLAY_NAME, name);
    this.#identityRecord = record;
    this.#identity = Promise.resolve(key);
    this.#set({ me: { id: memberIdOfRecord(record), name }, phase: 'ready' });
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

  // ------------------------------------------------------------ devices (services/deviceLinking.ts)

  /** This device's certificate when it is a linked device (protocol §16). */
  get certificate(): DeviceCertificate | undefined {
    return this.#identityRecord?.certificate;
  }

  /** The person's identity, which certifies new devices; a linked device does not hold it. */
  personIdentity(): Promise<Identity> {
    if (this.certificate) {
      return Promise.reject(
        new WalletError('not_person_device', 'Link new devices from the device you started with.'),
      );
    }
    return this.#loadIdentity();
  }

  /** What a newly linked device is handed: every group here that has a relay. */
  groupsToShare(): LinkedGroup[] {
    return [...this.#sessions.values()].flatMap((s) => s.shareWithDevice() ?? []);
  }

  /** Stores this linked device's key and certificate and the groups it was granted, then opens them. */
  async adoptLinkedDevice(
    device: Identity,
    certificate: DeviceCertificate,
    displayName: string,
    groups: readonly GroupRecord[],
  ): Promise<void> {
    await this.#keepIdentity(device, this.#checkNewIdentity(displayName), certificate);
    for (const g of groups) {
      if (this.#sessions.has(g.id)) continue;
      await this.#requireStore().putGroup(g);
      await this.#openSession(g);
    }
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
        x25519: await this.x25519PublicKey(),
      });
    } catch (error) {
      // A group nobody created is useless: remove it rather than leave a broken entry in the list.
      this.#lanDetach(record.id);
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
      ...(invite.relayToken !== undefined ? { inviteRelayToken: invite.relayToken } : {}),
    };
    await store.putGroup(record);
    await this.#openSession(record);
    this.refreshGroups();
    return record.id;
  }

  /**
   * Removes a group from this device: its sync is closed and every local record of it (entries,
   * document, views) deleted in one store transaction. Other devices and the relay keep theirs.
   * For a group this device cannot use (the relay has no such group, a wrong invite).
   */
  async removeGroup(groupId: GroupId): Promise<void> {
    const store = this.#requireStore();
    const session = this.#sessions.get(groupId);
    if (!session) throw new WalletError('unknown_group', 'This group is not on this device.');
    this.#sessions.delete(groupId);
    this.refreshGroups();
    this.#lanDetach(groupId);
    await session.close();
    await store.deleteGroup(groupId);
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
      const grantedKeys = kit.grantedKeyMap(record.epochKeys);
      sync = await kit.GroupSync.open({
        groupId: record.id,
        groupKey: record.groupKey,
        identity,
        ...(grantedKeys ? { grantedKeys } : {}),
        ...(record.inviteRelayToken !== undefined ? { inviteRelayToken: record.inviteRelayToken } : {}),
        ...(this.#identityRecord?.certificate ? { certificate: this.#identityRecord.certificate } : {}),
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
    void this.#lanSync()?.then((lan) => {
      if (!session.closed) lan.attach(record.id, record.groupKey, sync);
    });
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
