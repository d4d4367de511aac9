/**
 * What may live in a room's document (docs/relay.md, "Admission"): only the
 * root map `entries`, holding envelopes of this room's group under their own ids, authentic by
 * protocol.md §8, within each author's quota. Everything else is removed in the very transaction
 * that brought it in.
 *
 * Why in the same transaction: Yjs garbage-collects deleted content before it emits the
 * transaction's `update` event, so the update the room stores and forwards carries only "an
 * item was here and is deleted", never the junk bytes. Junk is never stored nor forwarded, and
 * the deletion reaches every client (the sender gets it from `echo`).
 *
 * An update is admitted in two phases:
 *  1. `check` (async): decode the update, find the binary values it may bring into the map and
 *     judge them with shared/ledger's admission rule (header, group, chain-tip signatures);
 *  2. `apply` (sync): in one transaction, apply the update, then review every key it touched:
 *     remove what is not admissible, and write back any admissible value it deleted.
 */
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import {
  type AdmissibleEntry,
  type AdmissionCode,
  type AdmissionVerdict,
  admitBatch,
  checkShape,
} from '../shared/ledger/admission';
import type { GroupId } from '../shared/ledger/types';
import { AdmittedEntries } from './admitted-entries';
import { AuthorQuotas } from './author-quotas';
import type { RelayLimits } from './config';
import { AdmissionCounters, type RejectionReason, type ValueRefusalReason } from './metrics';
import { dropPending, pendingBytes, scanUpdate } from './update-values';

/** The one root type a room may hold: entry id → envelope bytes (shared/sync's ENTRIES_MAP). */
export const ENTRIES_ROOT = 'entries';
/** When a writer over its quota is told to come back (contract default). */
export const AUTHOR_QUOTA_RETRY_AFTER_SECONDS = 300;
/** WebSocket close codes of the contract's refusals. */
export const AUTHOR_QUOTA_CLOSE = 4413;
export const UPDATE_REFUSED_CLOSE = 4400;

export type AdmissionLimits = Pick<
  RelayLimits,
  'maxEntriesPerAuthor' | 'maxBytesPerAuthor' | 'maxPendingBytes'
>;

/** Why the sender's connection must be closed after its update. */
export interface AdmissionRefusal {
  readonly reason: RejectionReason;
  readonly code: number;
  readonly text: string;
}

export interface AdmissionOutcome {
  /**
   * The update of this transaction when admission changed what the sender wrote (removed or
   * restored values): the room broadcasts updates to everyone but their sender, so the sender
   * must be sent this one too. Null when the sender's update was taken as it was.
   */
  readonly echo: Uint8Array | null;
  /** Set when the sender must be closed (author over quota, too much pending history). */
  readonly refusal: AdmissionRefusal | null;
}

/** Phase 1's findings. */
export interface UpdateChecks {
  /** Authentic entries by id (every other value the update brings is removed). */
  readonly authentic: ReadonlyMap<string, AdmissibleEntry>;
  /** Set when the update may not be applied at all (see scanUpdate). */
  readonly refusal: AdmissionRefusal | null;
}

/** A y-websocket sync message carrying `update` (how the room sends an echo). */
export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0); // messageSync
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** Byte equality; Buffer.compare is a native memcmp (a JS loop costs as much as the rest of a review). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a === b || (a.length === b.length && Buffer.compare(a, b) === 0);
}

/** A Yjs shared type of any kind (root or nested). */
type SharedType = Y.Doc['share'] extends Map<string, infer T> ? T : never;

/** What one review of a transaction found. */
interface Review {
  changed: boolean;
  quotaAuthor: string | null;
}

export class RoomAdmission {
  readonly #groupId: GroupId;
  readonly #doc: Y.Doc;
  readonly #entries: Y.Map<unknown>;
  readonly #limits: AdmissionLimits;
  readonly #counters: AdmissionCounters;
  readonly #admitted = new AdmittedEntries();
  readonly #quotas: AuthorQuotas;
  /**
   * Authentic entries of earlier updates that did not land because they wait in Yjs's pending
   * structs: their verdicts are kept (up to maxPendingBytes) for when they integrate, so phase 1
   * never has to decode the pending structs again.
   */
  readonly #carried = new Map<string, AdmissibleEntry>();
  #carriedBytes = 0;

  private constructor(groupId: GroupId, doc: Y.Doc, limits: AdmissionLimits, counters: AdmissionCounters) {
    this.#groupId = groupId;
    this.#doc = doc;
    // Made a Y.Map now, before any update could make `entries` some other kind of root type.
    this.#entries = doc.getMap(ENTRIES_ROOT);
    this.#limits = limits;
    this.#counters = counters;
    this.#quotas = new AuthorQuotas(limits);
  }

  /**
   * Takes charge of a room's document just loaded from storage: counts what it holds (index,
   * quotas) and removes, in one transaction, whatever was stored before admission existed and
   * is not admissible. `cleanup` is that transaction's update, to be persisted like any other
   * (null when nothing was removed).
   */
  static async open(
    groupId: GroupId,
    doc: Y.Doc,
    limits: AdmissionLimits,
    counters: AdmissionCounters = new AdmissionCounters(),
  ): Promise<{ admission: RoomAdmission; cleanup: Uint8Array | null }> {
    const admission = new RoomAdmission(groupId, doc, limits, counters);
    const cleanup = await admission.#sanitize();
    return { admission, cleanup };
  }

  /** Entries the room holds. */
  get size(): number {
    return this.#admitted.size;
  }

  /** Entries and bytes `author` (hex public key) has in the room. */
  usage(author: string): { readonly entries: number; readonly bytes: number } {
    return this.#quotas.usage(author);
  }

  /** Both phases for one incoming update; `origin` (the sender's connection) is the transaction's origin. */
  async admit(update: Uint8Array, origin: unknown): Promise<AdmissionOutcome> {
    const checks = await this.check(update);
    if (checks.refusal !== null) return { echo: null, refusal: checks.refusal };
    return this.apply(update, checks, origin);
  }

  /**
   * Both phases for an update another cluster node admitted and stored: its signatures were
   * checked there, so phase 1 checks only shape, group and id (no signature work), while phase 2
   * still indexes each entry and counts it against its author's quota, exactly as for a local
   * update. Redis is the operator's own store; a value that is not even well formed is removed.
   */
  admitStored(update: Uint8Array, origin: unknown): AdmissionOutcome {
    const scan = scanUpdate(update, ENTRIES_ROOT, (key, bytes) => {
      const held = this.#admitted.get(key);
      return held !== undefined && sameBytes(held, bytes);
    });
    const authentic = new Map<string, AdmissibleEntry>();
    for (const value of scan.binaries) {
      const shape = checkShape(this.#groupId, value);
      if (shape.ok) authentic.set(shape.entry.id, shape.entry);
    }
    return this.apply(update, { authentic, refusal: null }, origin);
  }

  /**
   * Phase 1: verdicts for every binary value the update may bring in. Throws (like applying it
   * would) when the update does not decode.
   */
  async check(update: Uint8Array): Promise<UpdateChecks> {
    const scan = scanUpdate(update, ENTRIES_ROOT, (key, bytes) => {
      const held = this.#admitted.get(key);
      return held !== undefined && sameBytes(held, bytes);
    });
    const authentic = new Map<string, AdmissibleEntry>();
    if (scan.refusal !== null) {
      return {
        authentic,
        refusal: {
          reason: 'update_refused',
          code: UPDATE_REFUSED_CLOSE,
          text: `update refused: ${scan.refusal}`,
        },
      };
    }
    if (scan.binaries.length > 0) {
      const report = await admitBatch(
        this.#groupId,
        scan.binaries.map((value) => ({ value })),
        this.#admitted,
      );
      this.#counters.signaturesVerified += report.verified;
      for (const verdict of report.verdicts) if (verdict.ok) authentic.set(verdict.entry.id, verdict.entry);
    }
    return { authentic, refusal: null };
  }

  /**
   * Phase 2, synchronous: applies the update and removes what may not stay, all in one
   * transaction with `origin`. Values the update brings that phase 1 did not see (it cannot
   * happen with the checks of this update) are refused rather than kept unchecked.
   */
  apply(update: Uint8Array, checks: UpdateChecks, origin: unknown): AdmissionOutcome {
    const doc = this.#doc;
    let emitted: Uint8Array | null = null;
    const capture = (u: Uint8Array): void => {
      emitted = u;
    };
    let failure: unknown;
    let review: Review = { changed: false, quotaAuthor: null };
    let overflow = false;
    doc.on('update', capture);
    try {
      doc.transact((tr) => {
        try {
          Y.applyUpdate(doc, update);
        } catch (error) {
          // Whatever was applied before the failure is still reviewed below.
          failure = error;
        }
        ownWrites(doc, tr);
        if (pendingBytes(doc) > this.#limits.maxPendingBytes) {
          dropPending(doc);
          overflow = true;
        }
        review = this.#review(tr, checks);
      }, origin);
    } finally {
      doc.off('update', capture);
    }
    this.#carry(checks);
    if (failure !== undefined) throw failure;
    return {
      echo: review.changed ? emitted : null,
      refusal: review.quotaAuthor !== null ? quotaRefusal() : overflow ? overflowRefusal(this.#limits) : null,
    };
  }

  /** Keeps the verdicts of what may still integrate later (see #carried). */
  #carry(checks: UpdateChecks): void {
    if (this.#doc.store.pendingStructs === null) {
      this.#carried.clear();
      this.#carriedBytes = 0;
      return;
    }
    for (const [id, entry] of checks.authentic) {
      if (this.#admitted.get(id) !== undefined || this.#carried.has(id)) continue;
      this.#carried.set(id, entry);
      this.#carriedBytes += entry.bytes.length;
    }
    // Oldest first out: what waits longest is least likely to be honest history about to land.
    for (const [id, entry] of this.#carried) {
      if (this.#carriedBytes <= this.#limits.maxPendingBytes) break;
      this.#carried.delete(id);
      this.#carriedBytes -= entry.bytes.length;
    }
  }

  /** Inside the transaction: keeps the room admissible after whatever the update did. */
  #review(tr: Y.Transaction, checks: UpdateChecks): Review {
    const entries = this.#entries as unknown as SharedType;
    const keys = new Set<string>();
    let listTouched = false;
    let changed = false;
    for (const [type, subs] of tr.changed) {
      if (type === entries) {
        for (const key of subs) {
          if (key === null) listTouched = true;
          else keys.add(key);
        }
        continue;
      }
      const top = topItemOf(type);
      if (top === null) {
        // A root type other than `entries`: nothing may live there.
        changed = this.#clearRoot(type, tr) || changed;
      } else if (top.parent === entries) {
        // Something nested under a value of the map: that value is not bytes; judge its key.
        if (top.parentSub === null) listTouched = true;
        else keys.add(top.parentSub);
      } else if (!top.deleted) {
        top.delete(tr);
        this.#counters.refuse('outside_entries');
        changed = true;
      }
    }
    // Content in the map's list part (a map used as an array): never an entry.
    if (listTouched) changed = this.#clearList(entries, tr) || changed;
    let quotaAuthor: string | null = null;
    for (const key of keys) {
      const result = this.#reviewKey(key, checks);
      if (result === 'kept') continue;
      changed = true;
      if (result !== 'restored' && result !== 'removed') quotaAuthor = result.author;
    }
    return { changed, quotaAuthor };
  }

  /**
   * One key touched by the transaction. Invariant before it: the key holds nothing or an
   * admitted entry (kept in #admitted). Returns what happened, or the author whose quota it hit.
   */
  #reviewKey(key: string, checks: UpdateChecks): 'kept' | 'restored' | 'removed' | { author: string } {
    const entries = this.#entries;
    const before = this.#admitted.get(key);
    const item = (entries as unknown as SharedType)._map.get(key);
    const live = item !== undefined && !item.deleted ? item : undefined;
    let quotaAuthor: string | null = null;
    if (live !== undefined) {
      const content = live.content;
      const bytes = content instanceof Y.ContentBinary ? (content.content as Uint8Array) : null;
      if (bytes !== null && before !== undefined && sameBytes(before, bytes)) {
        // The same entry filed again (or an older item still winning): keep the live array only.
        this.#admitted.replaceBytes(key, bytes);
        return 'kept';
      }
      const verdict =
        bytes === null ? ({ ok: false, code: 'not_bytes' } as const) : this.#verdict(key, bytes, checks);
      if (verdict.ok) {
        const { header } = verdict.entry;
        if (this.#quotas.fits(header.author, verdict.entry.bytes.length)) {
          this.#quotas.add(header.author, verdict.entry.bytes.length);
          this.#admitted.add(key, verdict.entry.bytes, header);
          this.#counters.admitted += 1;
          return 'kept';
        }
        quotaAuthor = header.author;
        this.#counters.refuse('author_quota');
      } else {
        this.#counters.refuse(verdict.code);
      }
      entries.delete(key);
    }
    if (before !== undefined) {
      // An admissible value was deleted (or overwritten by junk): the relay undoes that.
      entries.set(key, before);
      this.#counters.restored += 1;
      return quotaAuthor !== null ? { author: quotaAuthor } : 'restored';
    }
    return quotaAuthor !== null ? { author: quotaAuthor } : 'removed';
  }

  /** The verdict for `bytes` under `key`: phase 1's, else the reason it is refused. */
  #verdict(key: string, bytes: Uint8Array, checks: UpdateChecks): AdmissionVerdict {
    const checked = checks.authentic.get(key) ?? this.#carried.get(key);
    if (checked !== undefined && sameBytes(checked.bytes, bytes)) return { ok: true, entry: checked };
    // Not authentic under this key: find out why, for the counters (cheap: header and hash).
    const shape = checkShape(this.#groupId, bytes, key);
    if (!shape.ok) return shape;
    // Well formed under its own id, yet without a verdict: its signature failed in phase 1, or
    // (cannot happen) phase 1 never saw it. Only an admitted successor can still vouch for it.
    return this.#admitted.vouches(shape.entry) ? shape : { ok: false, code: 'bad_signature' };
  }

  /** Deletes every live item of a root type that is not `entries`. */
  #clearRoot(type: SharedType, tr: Y.Transaction): boolean {
    let removed = false;
    for (const item of type._map.values()) {
      if (!item.deleted) {
        item.delete(tr);
        this.#counters.refuse('outside_entries');
        removed = true;
      }
    }
    return this.#clearList(type, tr, 'outside_entries') || removed;
  }

  #clearList(type: SharedType, tr: Y.Transaction, reason: ValueRefusalReason = 'not_bytes'): boolean {
    let removed = false;
    for (let item = type._start; item !== null; item = item.right) {
      if (!item.deleted) {
        item.delete(tr);
        this.#counters.refuse(reason);
        removed = true;
      }
    }
    return removed;
  }

  /**
   * Load time: index and count what the room holds; remove what is not admissible (stored
   * before admission existed) in one transaction, whose update is returned.
   */
  async #sanitize(): Promise<Uint8Array | null> {
    const doc = this.#doc;
    const entries = this.#entries as unknown as SharedType;
    const keys: string[] = [];
    const items: Array<{ value: unknown; key: string }> = [];
    const notBinary: string[] = [];
    for (const [key, item] of entries._map) {
      if (item.deleted) continue;
      if (item.content instanceof Y.ContentBinary) {
        keys.push(key);
        items.push({ value: item.content.content, key });
      } else {
        notBinary.push(key);
      }
    }
    const report = await admitBatch(this.#groupId, items, this.#admitted);
    this.#counters.signaturesVerified += report.verified;
    const refused: Array<{ key: string; code: AdmissionCode }> = notBinary.map((key) => ({
      key,
      code: 'not_bytes',
    }));
    // Entries stored before quotas existed are kept (they are valid data); they count, and
    // their authors can write more only once under the quota.
    report.verdicts.forEach((verdict, i) => {
      if (verdict.ok) {
        this.#quotas.add(verdict.entry.header.author, verdict.entry.bytes.length);
        this.#admitted.add(keys[i]!, verdict.entry.bytes, verdict.entry.header);
      } else {
        refused.push({ key: keys[i]!, code: verdict.code });
      }
    });
    const others = [...doc.share.values()].filter((type) => type !== entries);
    const listed = entries._start !== null;
    if (refused.length === 0 && !listed && others.every((type) => isEmptyRoot(type))) return null;
    let cleanup: Uint8Array | null = null;
    const capture = (u: Uint8Array): void => {
      cleanup = u;
    };
    doc.on('update', capture);
    try {
      doc.transact((tr) => {
        for (const { key, code } of refused) {
          this.#entries.delete(key);
          this.#counters.refuse(code);
        }
        this.#clearList(entries, tr);
        for (const type of others) this.#clearRoot(type, tr);
      }, this);
    } finally {
      doc.off('update', capture);
    }
    return cleanup;
  }
}

/**
 * Lets the relay write (remove, restore) inside a transaction that applied a remote update.
 * Yjs marks such a transaction remote, and a remote transaction that advanced the document's own
 * client id makes Yjs assume another client uses that id and pick a new one: after every
 * correction, growing the state vector each time (an attacker could make it grow without end).
 * So: if the update itself used our id, move to a fresh id first (that is Yjs's own remedy),
 * then mark the transaction local, since what follows is our own writing.
 */
function ownWrites(doc: Y.Doc, tr: Y.Transaction): void {
  if (Y.getState(doc.store, doc.clientID) !== (tr.beforeState.get(doc.clientID) ?? 0)) {
    doc.clientID = randomClientId(doc);
  }
  tr.local = true;
}

function randomClientId(doc: Y.Doc): number {
  for (;;) {
    const id = globalThis.crypto.getRandomValues(new Uint32Array(1))[0]!;
    if (!doc.store.clients.has(id)) return id;
  }
}

/** The item of a root type that (transitively) holds `type`; null when `type` is a root type. */
function topItemOf(type: SharedType): Y.Item | null {
  let item = type._item;
  if (item === null) return null;
  for (;;) {
    const parent = item.parent as SharedType;
    if (parent._item === null) return item;
    item = parent._item;
  }
}

function isEmptyRoot(type: SharedType): boolean {
  for (const item of type._map.values()) if (!item.deleted) return false;
  for (let item = type._start; item !== null; item = item.right) if (!item.deleted) return false;
  return true;
}

function quotaRefusal(): AdmissionRefusal {
  return {
    reason: 'author_quota',
    code: AUTHOR_QUOTA_CLOSE,
    text: `author quota reached; retry-after=${AUTHOR_QUOTA_RETRY_AFTER_SECONDS}`,
  };
}

function overflowRefusal(limits: AdmissionLimits): AdmissionRefusal {
  return {
    reason: 'update_refused',
    code: UPDATE_REFUSED_CLOSE,
    text: `update refused: more than ${limits.maxPendingBytes} bytes wait for missing history`,
  };
}
