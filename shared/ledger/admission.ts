/**
 * Admission: may a value live in a group's shared map? (docs/relay.md, "Admission")
 *
 * The relay cannot decrypt, but the header is plaintext and signed, so without the group key it
 * can still tell a canonical envelope of this group, filed under its own id, signed by its author
 * (or vouched for by the author's next entry, protocol.md §8) from junk. The relay removes
 * anything else; a client removes values with these same codes. Both call this module, so the
 * relay never keeps what a client would remove, nor removes what a client keeps.
 *
 * Checks, first failure wins (the order of openEntry, §6, with the key check before the
 * signature): not bytes → header (`too_large`, `malformed`, `unsupported_version`) → group →
 * key ≠ id → signature. Signatures use the chain-tip rule: a batch of N entries from A authors
 * costs about A verifications, and an entry whose successor is already admitted costs none.
 */
import { sha256Hex } from '../crypto/hash';
import { authenticateBatch, type AuthCandidate, type ChainLink } from './chain-auth';
import { type DecodedEntry, decodeHeader, entryViews } from './envelope';
import type { EntryHeader, EntryId, GroupId } from './types';

/** Why a value may not live in the map; the client's refusal codes for the same cases. */
export const ADMISSION_CODES = [
  'not_bytes',
  'malformed',
  'too_large',
  'unsupported_version',
  'wrong_group',
  'key_mismatch',
  'bad_signature',
] as const;
export type AdmissionCode = (typeof ADMISSION_CODES)[number];

export interface AdmissibleEntry {
  readonly id: EntryId;
  readonly header: EntryHeader;
  readonly bytes: Uint8Array;
}

/** Plain objects, not WalletErrors: a junk flood is refused by the thousand and needs no stack or text. */
export type AdmissionVerdict =
  | { readonly ok: true; readonly entry: AdmissibleEntry }
  | { readonly ok: false; readonly code: AdmissionCode };

/** The room's (or replica's) already admitted entries, as far as vouching needs them. */
export interface AdmittedChildren {
  /** True when an admitted entry of `link`'s author with seq + 1 names `link.id` as its prev. */
  vouches(link: ChainLink): boolean;
}

export interface AdmissionItem {
  readonly value: unknown;
  /** The map key the value is filed under; omitted when not known yet (the key is checked later). */
  readonly key?: string;
}

export interface AdmissionReport {
  /** One verdict per item, in order. */
  readonly verdicts: AdmissionVerdict[];
  /** Signatures actually verified (chain tips), for tests and metrics. */
  readonly verified: number;
}

const refusals = Object.fromEntries(
  ADMISSION_CODES.map((code) => [code, Object.freeze({ ok: false, code })]),
) as {
  readonly [C in AdmissionCode]: { readonly ok: false; readonly code: C };
};

/** The verdict object for a refusal (shared, frozen). */
export function refused(code: AdmissionCode): { readonly ok: false; readonly code: AdmissionCode } {
  return refusals[code];
}

/**
 * Everything but the signature, synchronously: bytes, header, group, and (when `key` is given)
 * key = id. Cheap: a header read and one SHA-256.
 */
export function checkShape(groupId: GroupId, value: unknown, key?: string): AdmissionVerdict {
  if (!(value instanceof Uint8Array)) return refusals.not_bytes;
  const header = decodeHeader(value);
  if (!header.ok) return refused(header.error.code as AdmissionCode);
  if (header.value.groupId !== groupId) return refusals.wrong_group;
  const id = sha256Hex(value);
  if (key !== undefined && key !== id) return refusals.key_mismatch;
  return { ok: true, entry: { id, header: header.value, bytes: value } };
}

/** One distinct entry of a batch; its byte views are cut only if its own signature is checked. */
class Candidate implements AuthCandidate {
  /** Every item holding these exact bytes (the same entry filed twice is checked once). */
  readonly positions: number[];
  #decoded: DecodedEntry | undefined;

  constructor(
    readonly entry: AdmissibleEntry,
    position: number,
  ) {
    this.positions = [position];
  }

  get id(): EntryId {
    return this.entry.id;
  }

  get header(): EntryHeader {
    return this.entry.header;
  }

  get decoded(): DecodedEntry {
    this.#decoded ??= entryViews(this.entry.bytes, this.entry.header);
    return this.#decoded;
  }
}

const NOTHING_ADMITTED: AdmittedChildren = { vouches: () => false };

/**
 * Verdicts for a batch of values. `admitted` vouches for entries whose successor is already in
 * the room; nothing in `admitted` is re-checked here (callers skip values they already hold).
 */
export async function admitBatch(
  groupId: GroupId,
  items: readonly AdmissionItem[],
  admitted: AdmittedChildren = NOTHING_ADMITTED,
): Promise<AdmissionReport> {
  const verdicts: AdmissionVerdict[] = new Array(items.length);
  const byId = new Map<EntryId, Candidate>();
  const candidates: Candidate[] = [];
  for (let i = 0; i < items.length; i++) {
    // The key is compared after authentication, so that an entry filed under a wrong key still
    // vouches for its predecessor (authenticity is a property of the set of entries, §8), exactly
    // as when the key is not known yet.
    const shape = checkShape(groupId, items[i]!.value);
    if (!shape.ok) {
      verdicts[i] = shape;
      continue;
    }
    const { entry } = shape;
    const seen = byId.get(entry.id);
    if (seen !== undefined) {
      seen.positions.push(i);
      continue;
    }
    const candidate = new Candidate(entry, i);
    byId.set(entry.id, candidate);
    candidates.push(candidate);
  }
  const auth = await authenticateBatch(candidates, {
    vouchedByKnownChild: (c) => admitted.vouches(c),
    // Nothing is held back on this side: an entry that is not authentic now is removed, and
    // comes back (and is judged again) only if someone writes it again.
    releaseHeld: () => undefined,
  });
  const settle = (c: Candidate, authentic: boolean): void => {
    for (const i of c.positions) {
      const key = items[i]!.key;
      if (key !== undefined && key !== c.id) verdicts[i] = refusals.key_mismatch;
      else verdicts[i] = authentic ? { ok: true, entry: c.entry } : refusals.bad_signature;
    }
  };
  for (const c of auth.authentic) settle(c, true);
  for (const c of auth.forged) settle(c, false);
  return { verdicts, verified: auth.verified };
}
