/**
 * The relay tokens a room accepts (docs/relay.md "Relay tokens"): a small set of token hashes,
 * one per key epoch the group handed over to, each possibly expiring. Pure: every backend
 * (memory, LevelDB, Redis) stores the set as the JSON string `serializeTokenSet` writes and
 * decides with these functions, so the rules are written once.
 *
 * The rules keep a room reachable whatever a member signs: a hand-over only ever puts an expiry
 * on the token the request came from, and only when the token it moves to is newer and does not
 * expire itself. So the newest non-expiring record is never expired, and a member jumping to a
 * huge epoch cannot cut the others off.
 */
import { timingSafeEqual } from 'node:crypto';
import { WalletError } from '../shared/errors';

export interface TokenRecord {
  /** SHA-256 of the token bytes, 64 lower-case hex characters. */
  readonly hash: string;
  /** The key epoch of the token (0 for the claim, whatever its epoch in the group). */
  readonly epoch: number;
  /** The author (hex public key) whose signed hand-over added it; null for the claim. */
  readonly addedBy: string | null;
  /** When it stops being accepted (ms since the epoch); null: no expiry. */
  readonly expiresAt: number | null;
}

export type TokenSet = readonly TokenRecord[];

export interface HandOver {
  /** Hash of the token the asking connection was admitted with. */
  readonly fromHash: string;
  readonly toHash: string;
  readonly epoch: number;
  readonly addedBy: string;
}

export interface HandOverRules {
  /** How long the token handed over from stays accepted. */
  readonly graceMs: number;
  /** Most live records a room holds; a hand-over past it is refused. */
  readonly maxLiveTokens: number;
}

export type HandOverRefusal = 'token_expired' | 'stale_epoch' | 'too_many_tokens';

export type HandOverResult =
  | { readonly ok: true; readonly records: TokenSet; readonly changed: boolean }
  | { readonly ok: false; readonly reason: HandOverRefusal };

const HASH = /^[0-9a-f]{64}$/;
/** Epochs are u32 on the wire (relay-handover.ts). */
const MAX_EPOCH = 0xffff_ffff;
/** A stored set larger than this is damage, not a room: the cap is far below it. */
const MAX_STORED_RECORDS = 1024;
const RECORD_KEYS = ['addedBy', 'epoch', 'expiresAt', 'hash'];

/** What a room claimed by its first token (or stored before token sets existed) holds. */
export function claimSet(hash: string): TokenSet {
  return [{ hash, epoch: 0, addedBy: null, expiresAt: null }];
}

export function isLive(record: TokenRecord, now: number): boolean {
  return record.expiresAt === null || now < record.expiresAt;
}

/** The records still accepted at `now`. */
export function liveRecords(records: TokenSet, now: number): TokenSet {
  return records.filter((r) => isLive(r, now));
}

/**
 * The live record of `hash`, or null. Compares with every record in constant time per record
 * (no early exit), so timing does not tell how much of a guessed hash matched, nor which one.
 */
export function admittedRecord(records: TokenSet, hash: string, now: number): TokenRecord | null {
  const presented = hashBytes(hash);
  let found: TokenRecord | null = null;
  for (const record of records) {
    const equal = presented !== null && timingSafeEqual(hashBytes(record.hash)!, presented);
    if (equal && found === null) found = record;
  }
  return found !== null && isLive(found, now) ? found : null;
}

/** Applies a checked, signed hand-over (the caller verified signature and author). */
export function applyHandOver(
  records: TokenSet,
  request: HandOver,
  now: number,
  rules: HandOverRules,
): HandOverResult {
  for (const hex of [request.fromHash, request.toHash, request.addedBy]) {
    if (!HASH.test(hex)) throw new RangeError('hand-over hashes and author must be 64 lower-case hex');
  }
  if (!Number.isSafeInteger(request.epoch) || request.epoch < 1 || request.epoch > MAX_EPOCH) {
    throw new RangeError(`hand-over epoch out of range: ${request.epoch}`);
  }
  const live = liveRecords(records, now);
  const pruned = live.length !== records.length;
  const from = live.find((r) => r.hash === request.fromHash);
  if (from === undefined) return { ok: false, reason: 'token_expired' };
  if (request.epoch <= from.epoch) return { ok: false, reason: 'stale_epoch' };
  const to = live.find((r) => r.hash === request.toHash);
  if (to !== undefined) {
    // Idempotent (a device retrying, or two devices handing over to the same token).
    const expire = from.expiresAt === null && to.expiresAt === null && to.epoch > from.epoch;
    if (!expire) return { ok: true, records: live, changed: pruned };
    return { ok: true, records: withExpiry(live, from, now + rules.graceMs), changed: true };
  }
  if (live.length >= rules.maxLiveTokens) return { ok: false, reason: 'too_many_tokens' };
  const added: TokenRecord = {
    hash: request.toHash,
    epoch: request.epoch,
    addedBy: request.addedBy,
    expiresAt: null,
  };
  const expiresAt = from.expiresAt ?? now + rules.graceMs;
  return { ok: true, records: [...withExpiry(live, from, expiresAt), added], changed: true };
}

function withExpiry(records: TokenSet, target: TokenRecord, expiresAt: number): TokenSet {
  return records.map((r) => (r === target ? { ...r, expiresAt } : r));
}

export function serializeTokenSet(records: TokenSet): string {
  return JSON.stringify(
    records.map((r) => ({ hash: r.hash, epoch: r.epoch, addedBy: r.addedBy, expiresAt: r.expiresAt })),
  );
}

/** A stored token set that does not read back: the room is refused (4503) like a damaged token hash. */
export type TokenSetErrorCode = 'relay_storage_corrupt';

function damaged(why: string): WalletError<TokenSetErrorCode> {
  return new WalletError('relay_storage_corrupt', `Room token set unreadable: ${why}`, { why });
}

/** Reads what `serializeTokenSet` wrote; anything else throws a `relay_storage_corrupt` WalletError. */
export function parseTokenSet(text: unknown): TokenSet {
  if (typeof text !== 'string') throw damaged('not a string');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged('not JSON');
  }
  if (!Array.isArray(value)) throw damaged('not a list');
  if (value.length === 0 || value.length > MAX_STORED_RECORDS) throw damaged(`${value.length} records`);
  const seen = new Set<string>();
  const records = value.map((item: unknown, i) => {
    const record = parseRecord(item);
    if (record === null) throw damaged(`record ${i} malformed`);
    if (seen.has(record.hash)) throw damaged(`record ${i} repeats a hash`);
    seen.add(record.hash);
    return record;
  });
  return records;
}

function parseRecord(item: unknown): TokenRecord | null {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return null;
  const keys = Object.keys(item).sort();
  if (keys.length !== RECORD_KEYS.length || keys.some((k, i) => k !== RECORD_KEYS[i])) return null;
  const { hash, epoch, addedBy, expiresAt } = item as Record<string, unknown>;
  if (typeof hash !== 'string' || !HASH.test(hash)) return null;
  if (!Number.isSafeInteger(epoch) || (epoch as number) < 0 || (epoch as number) > MAX_EPOCH) return null;
  if (addedBy !== null && (typeof addedBy !== 'string' || !HASH.test(addedBy))) return null;
  if (expiresAt !== null && (!Number.isSafeInteger(expiresAt) || (expiresAt as number) < 0)) return null;
  return {
    hash,
    epoch: epoch as number,
    addedBy: addedBy as string | null,
    expiresAt: expiresAt as number | null,
  };
}

function hashBytes(hex: string): Buffer | null {
  return HASH.test(hex) ? Buffer.from(hex, 'hex') : null;
}

/** Lower-case hex of a token hash as the relay computes it (auth.ts `hashToken`). */
export function hashHex(hash: Uint8Array): string {
  return Buffer.from(hash).toString('hex');
}
