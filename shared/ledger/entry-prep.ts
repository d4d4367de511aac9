/**
 * The per-entry work of a batch ingest that needs nothing but the entry and the group key: its
 * id (SHA-256 of its bytes), its header decoded and its body opened (decrypted, parsed, checked
 * against the event schema). That is most of what checking a received history costs, and no
 * entry's result depends on another's, so a platform may spread it over threads (Node:
 * sync-server/worker-preparer.ts). The log does everything that needs order or state itself:
 * duplicates, group, chains, signatures, placement.
 */
import { ok, type Result } from '../errors';
import { bytesToHex, copyTogether, sha256 } from '../crypto/hash';
import {
  bodyDoesNotDecrypt,
  checkedEventText,
  decodeHeader,
  decryptEntryBody,
  decryptEntryPlaintext,
  ENTRY_VERSION,
  eventFromPlaintext,
  MAX_ENTRY_SIZE,
  plaintextLengthOf,
} from './envelope';
import type { WalletEvent } from './events';
import type { EntryHeader, EntryId } from './types';

export type OpenedBody = Result<WalletEvent, 'decrypt_failed' | 'schema_invalid'>;

export interface PreparedEntry {
  readonly id: EntryId;
  /** The decoded header; undefined when it does not decode (the log says why). */
  readonly header: EntryHeader | undefined;
  /** The body's verdict; undefined when the header does not decode. */
  readonly opened: OpenedBody | undefined;
}

/** Per input: its id and opened body; undefined for what cannot be an entry (not bytes, too large). */
export type Prepared = (PreparedEntry | undefined)[];

export interface EntryPreparer {
  /** Worth calling for batches of at least this many entries (smaller ones are done in place). */
  readonly minBatch: number;
  /** Undefined when it cannot help right now (e.g. its threads are still starting): the log then does the work. */
  prepare(inputs: readonly unknown[], groupKey: Uint8Array): Promise<Prepared | undefined>;
}

/** Whether an input can be an entry at all (bytes, not too large): only those are prepared. */
export function isPreparable(input: unknown): input is Uint8Array {
  return input instanceof Uint8Array && input.length <= MAX_ENTRY_SIZE;
}

/** The work itself, in this thread: the same code a worker runs on its share. */
export function prepareEntries(inputs: readonly unknown[], groupKey: Uint8Array): Prepared {
  return inputs.map((bytes) => {
    if (!isPreparable(bytes)) return undefined;
    const id = bytesToHex(sha256(bytes));
    const decoded = decodeHeader(bytes);
    return decoded.ok
      ? { id, header: decoded.value, opened: decryptEntryBody(bytes, groupKey) }
      : { id, header: undefined, opened: undefined };
  });
}

// ------------------------------------------------------------------ across threads

/**
 * A chunk of a batch as one thread hands it to another: the entries' bytes end to end, so the
 * whole chunk crosses as one transferable buffer instead of thousands of cloned arrays.
 */
export interface PackedEntries {
  readonly bytes: Uint8Array;
  readonly lengths: Uint32Array;
}

/**
 * What the other thread sends back: ids, and each body either checked there (its event, as
 * JSON text) or decrypted for the receiver to judge. Events would cross by structured clone,
 * which costs as much as parsing them again, and the schema check is the larger part of opening
 * a body, so the other thread checks each event and sends its text: the receiver parses all of a
 * chunk's checked events in one JSON.parse and checks none of them again (it trusts its own
 * worker's check as it trusts its decryption).
 */
export interface PreparedChunk {
  /** Each entry's id (64 lower-case hex characters), end to end. */
  readonly ids: string;
  /**
   * Per entry whose header decodes: its group id, author and prev in hex (32 + 64 + 64
   * characters; prev all zeros for none), end to end, so this thread need not encode them again.
   */
  readonly keys: string;
  /** Per entry whose header decodes: seq, lamport, time. */
  readonly numbers: Float64Array;
  /** The checked events, as one JSON array, in entry order. */
  readonly events: string;
  /** Decrypted bodies the receiver judges itself (see checkedEventText), end to end, in entry order. */
  readonly plaintexts: Uint8Array;
  /** Per entry: CHECKED, NO_HEADER, NO_DECRYPT, or the length of its body in `plaintexts`. */
  readonly lengths: Int32Array;
}

/** The entry's header does not decode (the log says why). */
export const NO_HEADER = -1;
/** The body does not decrypt with the group key. */
export const NO_DECRYPT = -2;
/** The body passed the schema: its event is the next one in `events`. */
export const CHECKED = -3;
const ID_CHARS = 64;
const KEY_CHARS = 32 + 64 + 64;
const NO_PREV = '0'.repeat(64);

export function packEntries(entries: readonly Uint8Array[]): PackedEntries {
  return { bytes: copyTogether(entries).buffer, lengths: Uint32Array.from(entries, (e) => e.length) };
}

/** prepareEntries for a packed chunk (what a worker thread runs); see PreparedChunk. */
export function prepareChunk(packed: PackedEntries, groupKey: Uint8Array): PreparedChunk {
  const { bytes, lengths: sizes } = packed;
  const ids: string[] = [];
  const keys: string[] = [];
  const numbers: number[] = [];
  const events: string[] = [];
  const lengths = new Int32Array(sizes.length);
  const plaintexts = new Uint8Array(bytes.length);
  let at = 0;
  let written = 0;
  for (let i = 0; i < sizes.length; i++) {
    const entry = bytes.subarray(at, at + sizes[i]!);
    at += sizes[i]!;
    ids.push(bytesToHex(sha256(entry)));
    const decoded = decodeHeader(entry);
    if (!decoded.ok) {
      lengths[i] = NO_HEADER;
      continue;
    }
    const h = decoded.value;
    keys.push(h.groupId, h.author, h.prev ?? NO_PREV);
    numbers.push(h.seq, h.lamport, h.time);
    const size = plaintextLengthOf(entry.length);
    const plaintext =
      size >= 0
        ? decryptEntryPlaintext(entry, groupKey, plaintexts.subarray(written, written + size))
        : undefined;
    if (!plaintext) {
      lengths[i] = NO_DECRYPT;
      continue;
    }
    const text = checkedEventText(plaintext);
    if (text !== undefined) {
      events.push(text);
      lengths[i] = CHECKED;
      continue;
    }
    lengths[i] = size;
    written += size;
  }
  return {
    ids: ids.join(''),
    keys: keys.join(''),
    numbers: Float64Array.from(numbers),
    events: `[${events.join(',')}]`,
    plaintexts: plaintexts.subarray(0, written),
    lengths,
  };
}

/**
 * prepareChunk's result as prepareEntries gives it: the same ids, headers and verdicts (checked
 * events parsed, the other bodies judged here). A reply of the wrong shape (a broken worker) throws, so the caller
 * redoes the work in place rather than trusting it.
 */
export function unpackChunk(chunk: PreparedChunk, count: number): PreparedEntry[] {
  const { ids, keys, numbers, events, plaintexts, lengths } = chunk;
  const mismatch = () => new Error('a prepared chunk does not match its entries');
  if (
    !(lengths instanceof Int32Array) ||
    lengths.length !== count ||
    typeof ids !== 'string' ||
    ids.length !== count * ID_CHARS ||
    !/^[0-9a-f]*$/.test(ids) ||
    typeof keys !== 'string' ||
    !(numbers instanceof Float64Array) ||
    keys.length !== (numbers.length / 3) * KEY_CHARS ||
    numbers.length !== 3 * lengths.filter((n) => n !== NO_HEADER).length ||
    typeof events !== 'string' ||
    !(plaintexts instanceof Uint8Array)
  ) {
    throw mismatch();
  }
  let checked: unknown;
  try {
    checked = JSON.parse(events);
  } catch {
    throw mismatch();
  }
  if (!Array.isArray(checked) || checked.length !== lengths.filter((n) => n === CHECKED).length) {
    throw mismatch();
  }
  const out: PreparedEntry[] = [];
  let at = 0;
  let next = 0;
  let h = 0;
  for (let i = 0; i < count; i++) {
    const id = ids.slice(i * ID_CHARS, (i + 1) * ID_CHARS);
    const size = lengths[i]!;
    if (size === NO_HEADER) {
      out.push({ id, header: undefined, opened: undefined });
      continue;
    }
    const header = headerAt(keys, numbers, h++);
    if (size === NO_DECRYPT) out.push({ id, header, opened: bodyDoesNotDecrypt() });
    else if (size === CHECKED) out.push({ id, header, opened: ok(checked[next++] as WalletEvent) });
    else if (size >= 0 && at + size <= plaintexts.length) {
      out.push({ id, header, opened: eventFromPlaintext(plaintexts.subarray(at, at + size)) });
      at += size;
    } else throw mismatch();
  }
  return out;
}

/** The k-th decoded header of a chunk, with the fields in decodeHeader's order (one object shape). */
function headerAt(keys: string, numbers: Float64Array, k: number): EntryHeader {
  const at = k * KEY_CHARS;
  const prev = keys.slice(at + 96, at + KEY_CHARS);
  return {
    version: ENTRY_VERSION,
    groupId: keys.slice(at, at + 32),
    author: keys.slice(at + 32, at + 96),
    seq: numbers[3 * k]!,
    prev: prev === NO_PREV ? null : prev,
    lamport: numbers[3 * k + 1]!,
    time: numbers[3 * k + 2]!,
  };
}
