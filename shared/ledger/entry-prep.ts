/**
 * The per-entry work of a batch ingest that needs nothing but the entry and the group key: its
 * id (SHA-256 of its bytes) and its body opened (decrypted, parsed, checked against the event
 * schema). That is most of what checking a received history costs, and no entry's result
 * depends on another's, so a platform may spread it over threads (Node: sync-server/
 * worker-preparer.ts). The log does everything that needs order or state itself: duplicates,
 * header and group, chains, signatures, placement.
 */
import { err, type Result } from '../errors';
import { bytesToHex, sha256 } from '../crypto/hash';
import { decodeHeader, decryptEntryBody, MAX_ENTRY_SIZE } from './envelope';
import type { WalletEvent } from './events';
import type { EntryId } from './types';

export type OpenedBody = Result<WalletEvent, 'decrypt_failed' | 'schema_invalid'>;

export interface PreparedEntry {
  readonly id: EntryId;
  /** The body's verdict; undefined when the header does not decode (the log says why). */
  readonly opened: OpenedBody | undefined;
}

/** Per input: its id and opened body; undefined for what cannot be an entry (not bytes, too large). */
export type Prepared = (PreparedEntry | undefined)[];

export interface EntryPreparer {
  /** Worth calling for batches of at least this many entries (smaller ones are done in place). */
  readonly minBatch: number;
  prepare(inputs: readonly unknown[], groupKey: Uint8Array): Promise<Prepared>;
}

/** The work itself, in this thread: the same code a worker runs on its share. */
export function prepareEntries(inputs: readonly unknown[], groupKey: Uint8Array): Prepared {
  return inputs.map((bytes) => {
    if (!(bytes instanceof Uint8Array) || bytes.length > MAX_ENTRY_SIZE) return undefined;
    const id = bytesToHex(sha256(bytes));
    return { id, opened: decodeHeader(bytes).ok ? decryptEntryBody(bytes, groupKey) : undefined };
  });
}

/**
 * A prepared entry as a structured-clone-safe value (errors as code and message: a WalletError
 * loses its class crossing a thread), and back.
 */
export type PreparedWire = null | {
  readonly id: EntryId;
  readonly event?: WalletEvent;
  readonly error?: readonly [string, string];
};

export function toWire(prepared: Prepared): PreparedWire[] {
  return prepared.map((p) => {
    if (p === undefined) return null;
    if (p.opened === undefined) return { id: p.id };
    if (p.opened.ok) return { id: p.id, event: p.opened.value };
    return { id: p.id, error: [p.opened.error.code, p.opened.error.message] };
  });
}

const BODY_ERRORS = new Set(['decrypt_failed', 'schema_invalid']);

/** Rebuilds what toWire sent; anything malformed (a broken worker) throws, so the caller redoes it in place. */
export function fromWire(wire: readonly PreparedWire[]): Prepared {
  return wire.map((w) => {
    if (w === null) return undefined;
    if (typeof w.id !== 'string' || !/^[0-9a-f]{64}$/.test(w.id))
      throw new Error('prepared entry without an id');
    if (w.event !== undefined) return { id: w.id, opened: { ok: true, value: w.event } };
    if (w.error !== undefined) {
      const [code, message] = w.error;
      if (!BODY_ERRORS.has(code)) throw new Error(`unexpected body verdict ${code}`);
      return { id: w.id, opened: err(code as 'decrypt_failed' | 'schema_invalid', message) };
    }
    return { id: w.id, opened: undefined };
  });
}
