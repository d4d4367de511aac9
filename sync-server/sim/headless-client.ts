/**
 * A headless Tally device for simulations and integration tests: an identity, a store
 * (memory, or Dexie on fake-indexeddb), one group bound by GroupSync, and y-websocket over
 * `ws` to a real relay. It drives the same code paths as the app, minus the UI.
 */
import WebSocket from 'ws';
import { WalletError } from '../../shared/errors';
import { generateGroupId, generateGroupKey } from '../../shared/crypto/group-key';
import { generateIdentity, type Identity, importSecretKey } from '../../shared/crypto/identity';
import type { EntryPreparer } from '../../shared/ledger/entry-prep';
import type { WalletEventInput } from '../../shared/ledger/envelope';
import type { ExpenseInput } from '../../shared/ledger/events';
import type { LoggedEntry } from '../../shared/ledger/group-log';
import { stateHash } from '../../shared/ledger/state-hash';
import type { EntryId, GroupId, GroupState } from '../../shared/ledger/types';
import type { MemberId, Minor } from '../../shared/money/types';
import { GroupSync, type SyncSnapshot } from '../../shared/sync/group-sync';
import type { LanLinks } from '../../shared/sync/lan-links';
import { MemoryStore } from '../../shared/sync/memory-store';
import type { Store } from '../../shared/sync/store';
import { websocketTransport } from '../../shared/sync/websocket-transport';
import { installNodePrimitives } from '../node-primitives';
import { isActive } from '../../shared/ledger/fold-membership';
import { x25519PublicHex } from '../../shared/crypto/x25519';

/** What an invite carries: where the relay is, which group, and its key (never sent to the relay). */
export interface Invite {
  readonly relayUrl: string;
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
  /** The relay token of the group's current key epoch, carried by an invite made after a rotation. */
  readonly relayToken?: string;
}

export interface HeadlessClientOptions {
  readonly name: string;
  /** Default: a fresh MemoryStore. */
  readonly store?: Store;
  /** Default: the identity in the store, or a new one (then saved). */
  readonly identity?: Identity;
  /** Reconnect backoff cap (ms); small in tests so restarts of the relay are picked up fast. */
  readonly maxBackoffTime?: number;
  readonly now?: () => number;
  /**
   * Checks large batches (a history arriving) on other threads: a WorkerPreparer, shared by the
   * clients of one process. Default: everything in this thread.
   */
  readonly preparer?: EntryPreparer;
}

export interface ExpenseChoice {
  readonly description?: string;
  readonly amount: Minor;
  readonly currency?: string;
  readonly date?: string;
  /** Default: this client. */
  readonly paidBy?: MemberId;
  /** Equal split among these members; default: everyone in the group. */
  readonly splitAmong?: readonly MemberId[];
}

const TODAY = '2025-03-01';

// A Node client verifies with Node's native SHA-256 and libsodium's XChaCha20-Poly1305 (checked
// against known vectors on install; same bytes as the portable ones, several times faster).
// create() waits for them.
const primitives = installNodePrimitives();

export class HeadlessClient {
  readonly name: string;
  readonly store: Store;
  readonly identity: Identity;
  #sync: GroupSync | undefined;
  #invite: Invite | undefined;
  #lan: LanLinks | undefined;
  readonly #options: HeadlessClientOptions;

  private constructor(options: HeadlessClientOptions, identity: Identity, store: Store) {
    this.name = options.name;
    this.identity = identity;
    this.store = store;
    this.#options = options;
  }

  static async create(options: HeadlessClientOptions): Promise<HeadlessClient> {
    await primitives;
    const store = options.store ?? new MemoryStore();
    let identity = options.identity;
    if (!identity) {
      const saved = await store.getIdentity();
      identity = saved && !saved.wrapped ? importSecretKey(saved.secretKey) : generateIdentity();
    }
    if (!(await store.getIdentity())) {
      await store.putIdentity({
        publicKey: identity.publicKey,
        secretKey: identity.secretKey,
        wrapped: false,
        createdAt: Date.now(),
      });
    }
    return new HeadlessClient(options, identity, store);
  }

  get sync(): GroupSync {
    if (!this.#sync) throw new WalletError('no_group', `${this.name} has no group yet`);
    return this.#sync;
  }

  get memberId(): MemberId {
    return this.sync.memberId;
  }

  get invite(): Invite {
    if (!this.#invite) throw new WalletError('no_group', `${this.name} has no group yet`);
    const relayToken = this.#sync?.keys.inviteRelayToken;
    const { relayToken: _old, ...invite } = this.#invite;
    return relayToken === undefined ? invite : { ...invite, relayToken };
  }

  /** Creates a group on `relayUrl` and returns its invite. */
  async createGroup(relayUrl: string, name: string, currency = 'CNY'): Promise<Invite> {
    const invite: Invite = { relayUrl, groupId: generateGroupId(), groupKey: generateGroupKey() };
    await this.#open(invite, name);
    await this.sync.append({
      type: 'group.created',
      name,
      currency,
      memberName: this.name,
      x25519: x25519PublicHex(this.identity),
    });
    return invite;
  }

  /** Joins from an invite: fetches the group's history first, then announces itself. */
  async join(invite: Invite, timeoutMs = 20_000): Promise<void> {
    await this.#open(invite, '');
    await this.whenSynced(timeoutMs);
    if (!this.sync.state.createdBy) {
      throw new WalletError('group_not_found', 'The relay has no history for this group yet.');
    }
    await this.sync.append({
      type: 'member.joined',
      name: this.name,
      x25519: x25519PublicHex(this.identity),
    });
  }

  /** Reopens the group this client's store already holds (after a restart). */
  async reopen(invite: Invite): Promise<void> {
    await this.#open(invite, '');
  }

  async #open(invite: Invite, name: string): Promise<void> {
    if (this.#sync) throw new WalletError('already_open', `${this.name} already has a group open`);
    if (!(await this.store.getGroup(invite.groupId))) {
      const now = Date.now();
      await this.store.putGroup({
        id: invite.groupId,
        name,
        groupKey: invite.groupKey,
        relayUrl: invite.relayUrl,
        createdAt: now,
        lastSyncedAt: null,
        lastSeenAt: now,
      });
    }
    this.#invite = invite;
    this.#sync = await GroupSync.open({
      groupId: invite.groupId,
      groupKey: invite.groupKey,
      ...(invite.relayToken !== undefined ? { inviteRelayToken: invite.relayToken } : {}),
      identity: this.identity,
      store: this.store,
      memberName: this.name,
      ...(this.#options.now ? { now: this.#options.now } : {}),
      ...(this.#options.preparer ? { preparer: this.#options.preparer } : {}),
    });
    this.#lan?.attach(this.#sync);
    this.goOnline();
  }

  /**
   * Also syncs through the relays `links` finds on the local network (beside the invite's relay),
   * for the group open now and any opened later.
   */
  syncOnLan(links: LanLinks): void {
    if (this.#sync && this.#lan) this.#lan.detach(this.#sync);
    this.#lan = links;
    if (this.#sync) links.attach(this.#sync);
  }

  /** A ws-based transport to a relay at `url`, as goOnline uses (for LanLinks). */
  transportTo(url: string) {
    return websocketTransport(url, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      maxBackoffTime: this.#options.maxBackoffTime ?? 500,
    });
  }

  // ---------------------------------------------------------------- actions

  addExpense(choice: ExpenseChoice): Promise<LoggedEntry> {
    return this.#append({ type: 'expense.created', expense: this.#expenseData(choice) });
  }

  /** Edits an expense on the version this client currently sees (concurrent edits become conflicts). */
  editExpense(expense: EntryId, choice: ExpenseChoice): Promise<LoggedEntry> {
    const current = this.#expense(expense);
    return this.#append({
      type: 'expense.updated',
      expense,
      base: current.head,
      data: this.#expenseData(choice),
    });
  }

  deleteExpense(expense: EntryId): Promise<LoggedEntry> {
    const current = this.#expense(expense);
    return this.#append({ type: 'expense.deleted', expense, base: current.head });
  }

  recordPayment(to: MemberId, amount: Minor, currency = 'CNY'): Promise<LoggedEntry> {
    return this.#append({ type: 'payment.recorded', from: this.memberId, to, amount, currency, date: TODAY });
  }

  chat(text: string): Promise<LoggedEntry> {
    return this.#append({ type: 'chat.message', text });
  }

  /** Any event (the simulation's random actions). */
  append(event: WalletEventInput): Promise<LoggedEntry> {
    return this.#append(event);
  }

  async #append(event: WalletEventInput): Promise<LoggedEntry> {
    await this.sync.whenIdle();
    return this.sync.append(event);
  }

  #expense(id: EntryId) {
    const found = this.sync.state.expenses.find((e) => e.id === id);
    if (!found)
      throw new WalletError('unknown_expense', `${this.name} does not know expense ${id.slice(0, 8)}`);
    return found;
  }

  #expenseData(choice: ExpenseChoice): ExpenseInput {
    // Default: the active members (a departed one can no longer share an expense).
    const members = choice.splitAmong ?? this.sync.state.members.filter(isActive).map((m) => m.id);
    return {
      description: choice.description ?? 'Groceries',
      currency: choice.currency ?? 'CNY',
      amount: choice.amount,
      date: choice.date ?? TODAY,
      payers: [{ member: choice.paidBy ?? this.memberId, amount: choice.amount }],
      split: { mode: 'equal', members: members.length > 0 ? [...members] : [this.memberId] },
    };
  }

  // ---------------------------------------------------------------- connection

  goOffline(): void {
    this.sync.disconnect();
  }

  goOnline(): void {
    const { relayUrl } = this.invite;
    this.sync.connect(
      websocketTransport(relayUrl, {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        maxBackoffTime: this.#options.maxBackoffTime ?? 500,
      }),
    );
  }

  get online(): boolean {
    return this.sync.connected;
  }

  get snapshot(): SyncSnapshot {
    return this.sync.snapshot;
  }

  /** Resolves once connected, synced with the relay, and every received entry is processed. */
  async whenSynced(timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.sync.whenIdle();
      if (this.sync.snapshot.status === 'synced') return;
      if (Date.now() > deadline) {
        const s = this.sync.snapshot;
        throw new WalletError(
          'sync_timeout',
          `${this.name} did not sync within ${timeoutMs} ms (${s.status}${s.lastError ? `: ${s.lastError}` : ''})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  state(): GroupState {
    return this.sync.state;
  }

  stateHash(): string {
    return stateHash(this.sync.state);
  }

  /** Closes the group (persisting its document); the store stays usable for a reopen. */
  async closeGroup(): Promise<void> {
    const sync = this.#sync;
    this.#sync = undefined;
    if (sync) this.#lan?.detach(sync);
    await sync?.close();
  }

  async close(): Promise<void> {
    await this.closeGroup();
    await this.store.close();
  }
}
