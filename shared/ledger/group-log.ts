/**
 * GroupLog: the in-memory verifier of one group's log. Every entry from the network, a file
 * or a backup goes through it before anything reads it; only what it accepts reaches fold.
 *
 * Per entry, in order (first failure wins, codes in entry-errors.ts):
 *   size → id → duplicate? → decode → group → authenticity (chain-auth.ts) → decrypt →
 *   schema → place in the author's chain (placement.ts: membership, prev, lamport, fork, and
 *   the lamport rule of lamport-rule.ts).
 *
 * This file drives the checks (batch, live bursts, restore, local writes); placement.ts holds
 * what is accepted and the placement rules, pending-set.ts what waits, log-report.ts what a
 * call reports. Everything depends only on the set of entries, never on their arrival order.
 */
import { WalletError } from '../errors';
import { bytesToHex, sha256Many } from '../crypto/hash';
import type { Identity } from '../crypto/identity';
import { memberIdOf } from '../crypto/identity';
import { verifyBatch } from '../crypto/sign';
import type { MemberId } from '../money/types';
import { type AuthContext, type AuthResult, ChainAuthenticator } from './chain-auth';
import {
  type CreatedEntry,
  createEntry,
  decodeHeader,
  entryIdOf,
  signatureCheckOf,
  MAX_ENTRY_SIZE,
  type WalletEventInput,
} from './envelope';
import type { EntryPreparer, Prepared } from './entry-prep';
import {
  type ForkEvidence,
  type Head,
  type IngestReport,
  type LoggedEntry,
  type NextHeader,
  ReportBuilder,
} from './log-report';
import { isUndecryptable, type KeyOpener, LogKeys } from './log-keys';
import { type ParseGiven, parseCandidates } from './log-parse';
import { boundedSet, type Candidate, isJoin, type Opened, Placement } from './placement';
import type { EntryHeader, EntryId, GroupId, VerifiedEntry } from './types';

export type { KeyOpener } from './log-keys';
export type { ForkEvidence, Head, IngestReport, LoggedEntry, NextHeader, Rejection } from './log-report';

export interface IngestOptions {
  /** Per input, the id its sender filed it under (undefined: no claim). */
  readonly keys?: readonly (string | undefined)[];
}

export interface GroupLogOptions {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
  /**
   * Entries waiting to be placed (for their predecessor, or for lower entries under the
   * lamport rule); beyond it new ones get `pending_full`. Default 10,000.
   */
  readonly maxPending?: number;
  /**
   * Hashes and opens the entries of a large `ingest` batch elsewhere (other threads); the
   * verdicts are the same. Without it, or if it fails, that work is done here.
   */
  readonly preparer?: EntryPreparer;
  /**
   * Opens the epoch key a `key.rotated` entry sealed to this device, if any (epoch-keys.ts). Called
   * for each one accepted; the key then opens entries written under it. Without it, only
   * `groupKey` opens bodies.
   */
  readonly keyOpener?: KeyOpener;
}

/** What restore() takes: bytes the device stored after verifying them, optionally with their decoded entry. */
export type TrustedEntry = Uint8Array | { readonly bytes: Uint8Array; readonly entry?: VerifiedEntry };

export const DEFAULT_MAX_PENDING = 10_000;
/** Authentic entries no key of this device opens, kept to retry when a new key arrives. */
export const MAX_UNREADABLE = 10_000;
/** Entries whose own signature failed but whose body decrypted: a later entry may still vouch for them. */
const MAX_HELD = 1_000;

/** Concurrent add() calls waiting to be judged together (see add). */
interface Burst {
  readonly inputs: Uint8Array[];
  readonly reports: Promise<IngestReport[]>;
}

/** What a burst finds out about each distinct entry before judging its calls one by one. */
interface Prechecked {
  readonly header: EntryHeader;
  readonly bytes: Uint8Array;
  opened: Opened | undefined;
  valid: boolean;
}

export class GroupLog {
  readonly groupId: GroupId;
  readonly #groupKey: Uint8Array;
  /** Epoch keys, the write key and the entries no key opens yet (log-keys.ts). */
  readonly #keys: LogKeys;
  readonly #placed: Placement;
  readonly #held = new Map<EntryId, LoggedEntry>();
  #tail: Promise<unknown> = Promise.resolve();
  #burst: Burst | undefined;
  readonly #preparer: EntryPreparer | undefined;
  readonly #authContext: AuthContext<LoggedEntry> = {
    vouchedByKnownChild: (c) => this.#placed.vouchedByKnownChild(c) || this.#keys.vouches(c),
    releaseHeld: (id, author, seq) => this.#releaseHeld(id, author, seq),
  };

  constructor(options: GroupLogOptions) {
    if (!/^[0-9a-f]{32}$/.test(options.groupId)) {
      throw new WalletError('invalid_group_id', 'a group id is 32 lower-case hex chars');
    }
    if (!(options.groupKey instanceof Uint8Array) || options.groupKey.length !== 32) {
      throw new WalletError('invalid_key', 'a group key is 32 bytes');
    }
    this.groupId = options.groupId;
    this.#groupKey = options.groupKey;
    this.#keys = new LogKeys(options.groupKey, options.keyOpener);
    this.#placed = new Placement(options.maxPending ?? DEFAULT_MAX_PENDING);
    this.#preparer = options.preparer;
  }

  /**
   * Rebuilds a log from entries this device verified before (its own store): no signature
   * is checked again, and an entry supplied decoded keeps its id, header and event (the store
   * wrote them from the verified bytes, see docs/protocol.md §Restore); the rest is checked as
   * usual (hash and decrypt for bare bytes; chain, lamport and forks for all).
   */
  static restore(
    options: GroupLogOptions,
    entries: readonly TrustedEntry[],
  ): { readonly log: GroupLog; readonly report: IngestReport } {
    const log = new GroupLog(options);
    const report = new ReportBuilder();
    const inputs = entries.map((e) => (e instanceof Uint8Array ? e : e?.bytes));
    const known = entries.map((e) => (e instanceof Uint8Array ? undefined : e?.entry));
    const ids = inputs.map((bytes, i) =>
      isHashable(bytes) ? (known[i]?.id ?? entryIdOf(bytes)) : undefined,
    );
    const candidates = log.#parse(inputs, ids, report, { known });
    for (const c of candidates) c.opened ??= log.#keys.open(c.bytes);
    log.#admit(candidates, [], report);
    // The store only keeps entries that opened: one that no longer does (even with the keys its
    // key.rotated entries bring) was stored under another key, and is refused as before.
    for (const c of log.#keys.dropUnreadable()) {
      report.reject('decrypt_failed', 'body does not decrypt with any key of this group', c.id, c.index);
    }
    return { log, report: log.#finish(report) };
  }

  /**
   * Verifies and adds a batch (any order, any authors). Uses the chain-tip fast path.
   * `keys[i]`, when given, is the id the sender filed `batch[i]` under (the sync map's key):
   * an entry whose id differs is refused `key_mismatch`, so the caller need not hash it again.
   */
  ingest(batch: readonly Uint8Array[], options: IngestOptions = {}): Promise<IngestReport> {
    // Hashing and opening need nothing but the bytes and the key, so a preparer starts on them
    // now, while earlier calls are still being judged: a caller that splits a large batch gets
    // the next part prepared while this thread places the previous one.
    const prepared = this.#prepared(batch);
    return this.#serialized(async () => this.#ingest(batch, options.keys, await prepared));
  }

  /**
   * Verifies and adds one entry on its own signature (skipped only when an entry from an
   * earlier call vouches for it). The report is exactly what it would be if every earlier
   * call had finished first. Calls made while the log is busy (a burst of live entries) are
   * judged together: their signatures are verified concurrently while their bodies are
   * decrypted, then each call is judged alone, in call order, so only the waiting is shared.
   */
  add(bytes: Uint8Array): Promise<IngestReport> {
    let burst = this.#burst;
    if (!burst) {
      const inputs: Uint8Array[] = [];
      const reports = this.#enqueue(() => {
        if (this.#burst?.inputs === inputs) this.#burst = undefined;
        return this.#ingestBurst(inputs);
      });
      burst = { inputs, reports };
      this.#burst = burst;
    }
    const at = burst.inputs.push(bytes) - 1;
    return burst.reports.then((reports) => reports[at]!);
  }

  /**
   * Creates, signs and adds this device's next entry (seq, prev and lamport from the log).
   * Serialised with every other change, so two quick appends can never take the same seq.
   * @throws WalletError `not_member` when the identity's first entry is not a join,
   *   `author_forked` when the identity already forked in this group, or createEntry's errors.
   */
  append(identity: Identity, event: WalletEventInput, time: number = Date.now()): Promise<CreatedEntry> {
    return this.#serialized(async () => {
      const author = memberIdOf(identity.publicKey);
      const next = this.nextHeaderFor(author);
      if (next.seq === 1 && !isJoin(event.type)) {
        throw new WalletError(
          'not_member',
          'the first entry of a member must be group.created or member.joined',
        );
      }
      const created = await createEntry({
        identity,
        groupId: this.groupId,
        groupKey: this.writeKey,
        ...next,
        time,
        event,
      });
      this.#addTrusted(created);
      return created;
    });
  }

  /**
   * The key this device writes under: epoch 0's until `writeUnderRotation` names another.
   * @throws WalletError `no_epoch_key` when the current epoch's key was not sealed to this device.
   */
  get writeKey(): Uint8Array {
    return this.#keys.writeKey;
  }

  /**
   * Writes from now on under the key of rotation `id` (the fold's current epoch; null: epoch 0).
   * False when this device does not hold that key: writing is then refused (`no_epoch_key`)
   * rather than done under an older key a departed member may hold.
   */
  writeUnderRotation(id: EntryId | null): boolean {
    return this.#keys.writeUnderRotation(id);
  }

  /** The epoch key of an accepted key.rotated entry, when this device could open it. */
  /** Epoch 0's key: the invite's, which every member and joiner holds. */
  get inviteKey(): Uint8Array {
    return this.#keys.inviteKey;
  }

  /** See LogKeys.adoptShared: keys of accepted key.shared entries become usable for writing. */
  adoptSharedKeys(valid: ReadonlySet<EntryId>): void {
    this.#keys.adoptShared(valid);
  }

  /** Every rotated key this device holds, by its key.rotated entry. */
  rotationKeys(): Map<EntryId, Uint8Array> {
    return this.#keys.rotationKeys();
  }

  rotationKey(id: EntryId): Uint8Array | undefined {
    return this.#keys.rotationKey(id);
  }

  /** Authentic entries that no key of this device opens (yet). */
  get unreadableCount(): number {
    return this.#keys.unreadableCount;
  }

  /** Their ids, oldest first. */
  unreadableIds(): EntryId[] {
    return this.#keys.unreadableIds();
  }

  /** Adds an entry this device just created with createEntry (its signature is not checked again). */
  appendLocal(created: CreatedEntry): Promise<IngestReport> {
    return this.#serialized(async () => this.#addTrusted(created));
  }

  /**
   * Header fields for `author`'s next entry: seq = head + 1, prev = head id, lamport = max
   * accepted lamport + 1. Pending entries never count: that lamport always passes the lamport
   * rule (lamport-rule.ts), which a larger one might not.
   */
  nextHeaderFor(author: MemberId): NextHeader {
    if (this.#placed.forkSeqOf(author) !== undefined) {
      throw new WalletError(
        'author_forked',
        'this identity has two different entries with the same seq in this group; its new entries would be ignored',
      );
    }
    const head = this.heads().get(author);
    return {
      seq: head ? head.seq + 1 : 1,
      prev: head ? head.id : null,
      lamport: this.#placed.maxLamport + 1,
    };
  }

  /** Canonical head of each author (for a forked author: the last entry before the fork). */
  heads(): ReadonlyMap<MemberId, Head> {
    return this.#placed.heads();
  }

  /** What fold should see: accepted entries minus forked branches, in total order (lamport, author, seq). */
  canonicalEntries(): readonly LoggedEntry[] {
    return this.#placed.canonicalEntries();
  }

  /** Every accepted entry, fork evidence included, in total order: what a backup or the store keeps. */
  entries(): LoggedEntry[] {
    return this.#placed.entries();
  }

  /**
   * Entries that passed every check but wait: for their predecessor, or (lamport rule) for
   * enough entries with a lower lamport.
   */
  pendingEntries(): LoggedEntry[] {
    return [...this.#placed.pending.values()];
  }

  get pendingCount(): number {
    return this.#placed.pending.size;
  }

  get size(): number {
    return this.#placed.size;
  }

  /** The largest lamport among accepted entries (pending ones never count). */
  get maxLamport(): number {
    return this.#placed.maxLamport;
  }

  get(id: EntryId): LoggedEntry | undefined {
    return this.#placed.get(id);
  }

  /** True when the entry is accepted or pending. */
  has(id: EntryId): boolean {
    return this.#placed.has(id);
  }

  forks(): ForkEvidence[] {
    return this.#placed.forks();
  }

  // ---------------------------------------------------------------- internals

  #serialized<T>(task: () => Promise<T>): Promise<T> {
    // add() calls made after this must not join a burst queued before it.
    this.#burst = undefined;
    return this.#enqueue(task);
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#tail.then(task);
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Ids of the inputs (undefined where size or type rule hashing out), all at once. */
  async #idsOf(inputs: readonly Uint8Array[]): Promise<(EntryId | undefined)[]> {
    const digests = await sha256Many(inputs.filter(isHashable));
    let k = 0;
    return inputs.map((b) => (isHashable(b) ? bytesToHex(digests[k++]!) : undefined));
  }

  /** The preparer's ids and bodies for a batch large enough, or undefined (then done here). */
  async #prepared(inputs: readonly Uint8Array[]): Promise<Prepared | undefined> {
    const preparer = this.#preparer;
    if (preparer === undefined || inputs.length < preparer.minBatch) return undefined;
    try {
      const prepared = await preparer.prepare(inputs, this.#groupKey);
      if (prepared?.length === inputs.length) return prepared;
    } catch {
      // A failing preparer costs time, never a verdict: the work is done here instead.
    }
    return undefined;
  }

  async #ingest(
    inputs: readonly Uint8Array[],
    keys: IngestOptions['keys'],
    prepared: Prepared | undefined,
  ): Promise<IngestReport> {
    const ids = prepared ? prepared.map((p) => p?.id) : await this.#idsOf(inputs);
    const report = new ReportBuilder();
    const headers = prepared?.map((p) => p?.header);
    const candidates = this.#parse(inputs, ids, report, { keys, headers });
    const auth = new ChainAuthenticator(candidates, this.#authContext);
    let verdicts = verifyTips(candidates, auth.tips());
    // Every body is opened whatever its signature turns out to be (a forged entry is kept if
    // it decrypts), so it is done while WebCrypto checks the tips.
    for (const c of candidates) {
      const early = prepared?.[c.index]?.opened;
      // The preparer only holds epoch 0's key: what it could not open gets the whole ring.
      c.opened = early && !isUndecryptable(early) ? early : this.#keys.open(c.bytes);
    }
    while (auth.tips().length > 0) {
      auth.record(await verdicts);
      verdicts = verifyTips(candidates, auth.tips());
    }
    this.#settle(auth.result(), report);
    return this.#finish(report);
  }

  /** The calls of one burst of add(): shared checking, then each call judged alone, in order. */
  async #ingestBurst(inputs: readonly Uint8Array[]): Promise<IngestReport[]> {
    const ids = await this.#idsOf(inputs);
    // Every distinct entry a call below could need a verdict for. Accepted entries stay
    // accepted, so those are the only ones that can be left out.
    const checked = new Map<EntryId, Prechecked>();
    for (let k = 0; k < inputs.length; k++) {
      const id = ids[k];
      if (id === undefined || checked.has(id) || this.#placed.get(id)) continue;
      const bytes = inputs[k]!;
      const header = decodeHeader(bytes);
      if (!header.ok || header.value.groupId !== this.groupId) continue;
      checked.set(id, { header: header.value, bytes, opened: undefined, valid: false });
    }
    const all = [...checked.values()];
    const verdicts = verifyBatch(all.map((c) => signatureCheckOf(c.bytes)));
    for (const c of all) c.opened = this.#keys.open(c.bytes);
    const valid = await verdicts;
    for (let i = 0; i < all.length; i++) all[i]!.valid = valid[i]!;

    const reports: IngestReport[] = [];
    for (let k = 0; k < inputs.length; k++) {
      const report = new ReportBuilder();
      const id = ids[k];
      const pre = id === undefined ? undefined : checked.get(id);
      const candidates = this.#parse([inputs[k]!], [id], report, { header: pre?.header });
      const auth = new ChainAuthenticator(candidates, this.#authContext);
      for (let tips = auth.tips(); tips.length > 0; tips = auth.tips()) {
        auth.record(tips.map((i) => checked.get(candidates[i]!.id)!.valid));
      }
      for (const c of candidates) c.opened = checked.get(c.id)!.opened;
      this.#settle(auth.result(), report);
      reports.push(this.#finish(report));
    }
    return reports;
  }

  /** Forged entries are held when their body is genuine; authentic ones (and released held ones) are placed. */
  #settle(auth: AuthResult<Candidate, LoggedEntry>, report: ReportBuilder): void {
    report.signaturesVerified += auth.verified;
    for (const c of auth.forged) {
      // Keep it if the body is genuine: a later entry of its author may still vouch for it.
      const opened = c.opened!;
      if (opened.ok) {
        boundedSet(
          this.#held,
          c.id,
          { id: c.id, header: c.header, event: opened.value, bytes: c.bytes },
          MAX_HELD,
        );
      }
      report.reject(
        'bad_signature',
        'signature does not verify: the header or body was altered, or it was signed by another key',
        c.id,
        c.index,
      );
    }
    this.#admit(auth.authentic, auth.released, report);
  }

  #releaseHeld(id: EntryId, author: string, seq: number): LoggedEntry | undefined {
    const held = this.#held.get(id);
    if (!held || held.header.author !== author || held.header.seq !== seq) return undefined;
    this.#held.delete(id);
    return held;
  }

  #addTrusted(created: CreatedEntry): IngestReport {
    const report = new ReportBuilder();
    const candidates = this.#parse([created.bytes], [created.id], report, { known: [created.entry] });
    this.#admit(candidates, [], report);
    const refused = report.rejected[0];
    if (refused) throw new WalletError(refused.code, refused.message, { id: refused.id });
    return this.#finish(report);
  }

  /** The cheap synchronous checks (log-parse.ts). */
  #parse(
    inputs: readonly (Uint8Array | undefined)[],
    ids: readonly (EntryId | undefined)[],
    report: ReportBuilder,
    given: ParseGiven = {},
  ): Candidate[] {
    return parseCandidates(inputs, ids, report, given, {
      groupId: this.groupId,
      known: (id) => this.#placed.has(id) || this.#keys.isUnreadable(id),
      refusal: (id) => this.#placed.refusal(id),
    });
  }

  /**
   * Places authentic entries; a held copy of an accepted entry must never be placed a second
   * time. An entry no key opens waits as unreadable; a key.rotated accepted here (or a key
   * entry still waiting) may bring the key that opens it, and then it is placed in this same call.
   */
  #admit(candidates: readonly Candidate[], released: readonly LoggedEntry[], report: ReportBuilder): void {
    let from = report.accepted.length;
    this.#placed.admit(this.#keys.readable(candidates), released, report);
    for (;;) {
      const grew = this.#keys.learn(report.accepted, from);
      // Also from shares still waiting: one may wait for an entry only its own key opens.
      const grewWaiting =
        this.#placed.pending.size > 0 && this.#keys.learnWaiting(this.#placed.pending.values());
      if (!grew && !grewWaiting) break;
      from = report.accepted.length;
      this.#placed.admit(this.#keys.readable(this.#keys.retryUnreadable()), [], report);
    }
    if (this.#held.size > 0) for (const e of report.accepted) this.#held.delete(e.id);
  }

  #finish(report: ReportBuilder): IngestReport {
    return report.finish(this.#placed.pending.size);
  }
}

function isHashable(bytes: unknown): bytes is Uint8Array {
  return bytes instanceof Uint8Array && bytes.length <= MAX_ENTRY_SIZE;
}

function verifyTips(candidates: readonly Candidate[], tips: readonly number[]): Promise<boolean[]> {
  return tips.length === 0
    ? NO_VERDICTS
    : verifyBatch(tips.map((i) => signatureCheckOf(candidates[i]!.bytes)));
}

const NO_VERDICTS: Promise<boolean[]> = Promise.resolve([]);
