/**
 * The entry envelope: canonical binary encoding, signing, encryption and the stateless
 * check of one entry. The exact layout is documented in docs/protocol.md; summary:
 *
 *   off  size  field
 *     0     3  magic "TLY"
 *     3     1  version (1)
 *     4    16  group id
 *    20    32  author Ed25519 public key
 *    52     4  seq, u32 big-endian, ≥ 1
 *    56    32  prev: SHA-256 id of the author's entry seq − 1 (all zero for seq 1)
 *    88     8  lamport, u64 BE, 1 … 2^53 − 1
 *    96     8  time (ms since epoch), u64 BE, 0 … 2^53 − 1
 *   104    24  XChaCha20-Poly1305 nonce
 *   128     4  body length, u32 BE (ciphertext including its 16-byte tag)
 *   132     n  body ciphertext; AAD = bytes 0 … 131
 * 132+n    64  Ed25519 signature over "tally/entry/v1\0" ‖ bytes 0 … 131+n
 *
 * Entry id = hex SHA-256 of all bytes, signature included.
 */
import type { z } from 'zod';
import { err, ok, type Result, WalletError } from '../errors';
import { decryptBody, encryptBody, NONCE_LENGTH, randomNonce, TAG_LENGTH } from '../crypto/aead';
import { assertGroupKey, groupIdToBytes, isGroupId } from '../crypto/group-key';
import { bytesToHex, hexOfRange, hexToBytes, sha256Hex } from '../crypto/hash';
import type { Identity } from '../crypto/identity';
import { SIGNATURE_LENGTH, sign, type VerifyItem, verify } from '../crypto/sign';
import { type EntryErrorCode, entryError } from './entry-errors';
import { type WalletEvent, walletEventSchema } from './events';
import type { EntryHeader, EntryId, GroupId, VerifiedEntry } from './types';

export const ENTRY_VERSION = 1;
export const MAX_ENTRY_SIZE = 64 * 1024;
export const ENTRY_MAGIC = new Uint8Array([0x54, 0x4c, 0x59]); // "TLY"
/** Prefixed to the signed bytes so an entry signature can never be replayed as any other signature. */
export const SIGNATURE_LABEL = new TextEncoder().encode('tally/entry/v1\0');

const OFF = {
  version: 3,
  groupId: 4,
  author: 20,
  seq: 52,
  prev: 56,
  lamport: 88,
  time: 96,
  nonce: 104,
  bodyLength: 128,
} as const;
export const HEADER_LENGTH = 132;
/** Smallest possible entry: header, an empty body's tag, signature. */
const MIN_ENTRY_SIZE = HEADER_LENGTH + TAG_LENGTH + SIGNATURE_LENGTH;
const MAX_U32 = 0xffff_ffff;
const ZERO_ID = new Uint8Array(32);

export type WalletEventInput = z.input<typeof walletEventSchema>;

/** An envelope that parsed, with views into its bytes for the later checks. */
export interface DecodedEntry {
  readonly bytes: Uint8Array;
  readonly header: EntryHeader;
  readonly authorKey: Uint8Array;
  readonly nonce: Uint8Array;
  /** Associated data of the body: the whole header. */
  readonly aad: Uint8Array;
  readonly ciphertext: Uint8Array;
  /** Everything the signature covers (without the label). */
  readonly signed: Uint8Array;
  readonly signature: Uint8Array;
}

export interface CreatedEntry {
  readonly id: EntryId;
  readonly bytes: Uint8Array;
  readonly entry: VerifiedEntry;
}

export interface NewEntry {
  readonly identity: Identity;
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
  readonly seq: number;
  readonly prev: EntryId | null;
  readonly lamport: number;
  readonly time: number;
  readonly event: WalletEventInput;
  /** Test vectors only: production entries always draw a fresh random nonce. */
  readonly nonce?: Uint8Array;
}

export function entryIdOf(bytes: Uint8Array): EntryId {
  return sha256Hex(bytes);
}

/** The exact message the Ed25519 signature is computed on. */
export function signingMessage(signed: Uint8Array): Uint8Array {
  const msg = new Uint8Array(SIGNATURE_LABEL.length + signed.length);
  msg.set(SIGNATURE_LABEL);
  msg.set(signed, SIGNATURE_LABEL.length);
  return msg;
}

function readU32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

function readU64(bytes: Uint8Array, at: number): number | null {
  const hi = readU32(bytes, at);
  // Above 2^53 − 1 a JS number loses integers; such values are refused, never rounded.
  if (hi > 0x1f_ffff) return null;
  return hi * 0x1_0000_0000 + readU32(bytes, at + 4);
}

/**
 * The lamport clock an entry's header claims, read without checking anything else (0 when the
 * bytes are too short or it is out of range): for ordering work, never for a verdict.
 */
export function lamportOf(bytes: Uint8Array): number {
  if (bytes.length < OFF.lamport + 8) return 0;
  return readU64(bytes, OFF.lamport) ?? 0;
}

function writeU64(view: DataView, offset: number, value: number): void {
  view.setUint32(offset, Math.floor(value / 0x1_0000_0000));
  view.setUint32(offset + 4, value >>> 0);
}

function isZero(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * The strict checks of docs/protocol.md §3, in order; the header fields once they pass. Shared by
 * decodeEntry and GroupLog's hot path (which cuts byte views only where it needs them).
 */
export function decodeHeader(bytes: Uint8Array): Result<EntryHeader, EntryErrorCode> {
  if (!(bytes instanceof Uint8Array)) return entryError('malformed', 'an entry is a byte array');
  const size = bytes.length;
  if (size > MAX_ENTRY_SIZE) {
    return entryError('too_large', `entry is ${size} bytes, the limit is ${MAX_ENTRY_SIZE}`);
  }
  if (size < ENTRY_MAGIC.length + 1 || bytes[0] !== 0x54 || bytes[1] !== 0x4c || bytes[2] !== 0x59) {
    return entryError('malformed', 'not a Tally entry (bad magic)');
  }
  const version = bytes[OFF.version]!;
  if (version !== ENTRY_VERSION) {
    return entryError(
      'unsupported_version',
      `entry version ${version} is not supported (expected ${ENTRY_VERSION})`,
    );
  }
  if (size < MIN_ENTRY_SIZE) return entryError('malformed', `entry truncated at ${size} bytes`);
  const bodyLength = readU32(bytes, OFF.bodyLength);
  if (bodyLength !== size - HEADER_LENGTH - SIGNATURE_LENGTH) {
    return entryError(
      'malformed',
      `declared body length ${bodyLength} does not match the entry size (truncated or trailing bytes)`,
    );
  }
  const seq = readU32(bytes, OFF.seq);
  if (seq < 1) return entryError('malformed', 'seq must be at least 1');
  const prevIsZero = isZero(bytes, OFF.prev, OFF.prev + 32);
  if (seq === 1 && !prevIsZero)
    return entryError('malformed', 'the first entry of an author must have a zero prev');
  if (seq > 1 && prevIsZero) return entryError('malformed', `entry seq ${seq} has no prev`);
  const lamport = readU64(bytes, OFF.lamport);
  if (lamport === null || lamport < 1)
    return entryError('malformed', 'lamport must be between 1 and 2^53 − 1');
  const time = readU64(bytes, OFF.time);
  if (time === null) return entryError('malformed', 'time must be at most 2^53 − 1');
  return ok({
    version,
    groupId: hexOfRange(bytes, OFF.groupId, 16),
    author: hexOfRange(bytes, OFF.author, 32),
    seq,
    prev: prevIsZero ? null : hexOfRange(bytes, OFF.prev, 32),
    lamport,
    time,
  });
}

/** The byte views of an entry that passed decodeHeader. */
export function entryViews(bytes: Uint8Array, header: EntryHeader): DecodedEntry {
  const signedEnd = bytes.length - SIGNATURE_LENGTH;
  return {
    bytes,
    header,
    authorKey: bytes.subarray(OFF.author, OFF.author + 32),
    nonce: bytes.subarray(OFF.nonce, OFF.nonce + NONCE_LENGTH),
    aad: bytes.subarray(0, HEADER_LENGTH),
    ciphertext: bytes.subarray(HEADER_LENGTH, signedEnd),
    signed: bytes.subarray(0, signedEnd),
    signature: bytes.subarray(signedEnd),
  };
}

/** Parses an envelope strictly. Never throws: anything unexpected is a typed error. */
export function decodeEntry(bytes: Uint8Array): Result<DecodedEntry, EntryErrorCode> {
  const header = decodeHeader(bytes);
  return header.ok ? ok(entryViews(bytes, header.value)) : header;
}

export function verifyEntrySignature(decoded: DecodedEntry): Promise<boolean> {
  return verify(decoded.authorKey, signingMessage(decoded.signed), decoded.signature);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/**
 * Plaintexts are decrypted into this buffer and turned into a string at once, so opening an
 * entry allocates no plaintext array (the code is synchronous: nothing else can use it meanwhile).
 */
const plaintextScratch = new Uint8Array(MAX_ENTRY_SIZE);

function parseEvent(json: unknown): Result<WalletEvent, 'schema_invalid'> {
  // The discriminated union already dispatches on `type` (measured: parsing with the member
  // schema directly is no faster).
  const parsed = walletEventSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return err('schema_invalid', `event is not valid${where}: ${issue?.message ?? 'unknown problem'}`);
  }
  return ok(parsed.data);
}

function openPlaintext(
  groupKey: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  aad: Uint8Array,
): Result<WalletEvent, 'decrypt_failed' | 'schema_invalid'> {
  const length = ciphertext.length - TAG_LENGTH;
  // (Only a hand-made DecodedEntry can hold more than an entry's worth: it gets its own array.)
  const out =
    length >= 0 && length <= plaintextScratch.length ? plaintextScratch.subarray(0, length) : undefined;
  let plaintext: Uint8Array;
  try {
    plaintext = decryptBody(groupKey, nonce, ciphertext, aad, out);
  } catch {
    return bodyDoesNotDecrypt();
  }
  return eventFromPlaintext(plaintext);
}

/** The refusal of a body that does not decrypt, as decryptEntryBody gives it. */
export function bodyDoesNotDecrypt(): Result<never, 'decrypt_failed'> {
  return err('decrypt_failed', 'body does not decrypt with this group key');
}

/** A decrypted body's text and the JSON it holds; undefined when it is not UTF-8 JSON. */
function jsonBody(plaintext: Uint8Array): { readonly text: string; readonly json: unknown } | undefined {
  try {
    const text = utf8.decode(plaintext);
    return { text, json: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

/** The event a decrypted body holds: UTF-8 JSON that passes the event schema. */
export function eventFromPlaintext(plaintext: Uint8Array): Result<WalletEvent, 'schema_invalid'> {
  const body = jsonBody(plaintext);
  return body ? parseEvent(body.json) : err('schema_invalid', 'body is not UTF-8 JSON');
}

/**
 * The body's JSON text when it holds an event exactly as createEntry writes one (its
 * schema-checked form serialises back to the same text), else undefined. Parsing that text gives
 * the checked event itself, so a thread that checked it can pass the text on and the receiver
 * only parses it. Anything else (a schema failure, a body another client wrote differently) is
 * for eventFromPlaintext, which gives the verdict.
 */
export function checkedEventText(plaintext: Uint8Array): string | undefined {
  const body = jsonBody(plaintext);
  if (!body) return undefined;
  const parsed = walletEventSchema.safeParse(body.json);
  return parsed.success && JSON.stringify(parsed.data) === body.text ? body.text : undefined;
}

/**
 * The decrypted body of an entry that passed decodeHeader, written into `out` (which must hold
 * its ciphertext length minus the tag) and returned; undefined when it does not decrypt. The
 * first half of decryptEntryBody, for a thread that only decrypts (eventFromPlaintext is the rest).
 */
export function decryptEntryPlaintext(
  bytes: Uint8Array,
  groupKey: Uint8Array,
  out: Uint8Array,
): Uint8Array | undefined {
  try {
    return decryptBody(
      groupKey,
      bytes.subarray(OFF.nonce, OFF.nonce + NONCE_LENGTH),
      bytes.subarray(HEADER_LENGTH, bytes.length - SIGNATURE_LENGTH),
      bytes.subarray(0, HEADER_LENGTH),
      out,
    );
  } catch {
    return undefined;
  }
}

/** Bytes the plaintext of an entry of `size` bytes takes (its body minus the tag); negative when it has none. */
export function plaintextLengthOf(size: number): number {
  return size - HEADER_LENGTH - SIGNATURE_LENGTH - TAG_LENGTH;
}

/** Decrypts the body and validates the event it holds. */
export function decryptEvent(
  decoded: DecodedEntry,
  groupKey: Uint8Array,
): Result<WalletEvent, 'decrypt_failed' | 'schema_invalid'> {
  return openPlaintext(groupKey, decoded.nonce, decoded.ciphertext, decoded.aad);
}

/** decryptEvent for an entry that passed decodeHeader, straight from its bytes. */
export function decryptEntryBody(
  bytes: Uint8Array,
  groupKey: Uint8Array,
): Result<WalletEvent, 'decrypt_failed' | 'schema_invalid'> {
  return openPlaintext(
    groupKey,
    bytes.subarray(OFF.nonce, OFF.nonce + NONCE_LENGTH),
    bytes.subarray(HEADER_LENGTH, bytes.length - SIGNATURE_LENGTH),
    bytes.subarray(0, HEADER_LENGTH),
  );
}

/** What to verify for an entry that passed decodeHeader: its author's key, signed message and signature. */
export function signatureCheckOf(bytes: Uint8Array): VerifyItem {
  const signedEnd = bytes.length - SIGNATURE_LENGTH;
  return {
    publicKey: bytes.subarray(OFF.author, OFF.author + 32),
    message: signingMessage(bytes.subarray(0, signedEnd)),
    signature: bytes.subarray(signedEnd),
  };
}

function invalid(message: string): never {
  throw new WalletError('invalid_header', message);
}

function checkNewEntry(input: NewEntry): Uint8Array {
  const { identity, groupId, seq, prev, lamport, time } = input;
  if (!(identity?.publicKey instanceof Uint8Array) || identity.publicKey.length !== 32) {
    throw new WalletError('invalid_key', 'identity public key must be 32 bytes');
  }
  assertGroupKey(input.groupKey);
  if (!isGroupId(groupId)) invalid('group id must be 32 lower-case hex chars');
  if (!Number.isInteger(seq) || seq < 1 || seq > MAX_U32)
    invalid('seq must be an integer from 1 to 2^32 − 1');
  if ((seq === 1) !== (prev === null)) invalid('prev must be null exactly when seq is 1');
  if (!Number.isSafeInteger(lamport) || lamport < 1) invalid('lamport must be a safe integer ≥ 1');
  if (!Number.isSafeInteger(time) || time < 0) invalid('time must be a safe integer ≥ 0');
  if (prev === null) return ZERO_ID;
  try {
    return hexToBytes(prev, 32);
  } catch {
    return invalid('prev must be a 64-char lower-case hex entry id');
  }
}

/**
 * Validates the event, encrypts it, signs the envelope. The event is stored as the schema's
 * output (defaults filled in), so what the author holds is exactly what every reader decodes.
 * @throws WalletError `invalid_header`, `invalid_key`, `schema_invalid` or `too_large`.
 */
export async function createEntry(input: NewEntry): Promise<CreatedEntry> {
  const prevBytes = checkNewEntry(input);
  const parsed = walletEventSchema.safeParse(input.event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new WalletError('schema_invalid', `event is not valid: ${issue?.message ?? 'unknown problem'}`);
  }
  const event = parsed.data;
  const plaintext = new TextEncoder().encode(JSON.stringify(event));
  const bodyLength = plaintext.length + TAG_LENGTH;
  const size = HEADER_LENGTH + bodyLength + SIGNATURE_LENGTH;
  if (size > MAX_ENTRY_SIZE)
    throw new WalletError('too_large', `entry would be ${size} bytes, the limit is ${MAX_ENTRY_SIZE}`);
  const nonce = input.nonce ?? randomNonce();

  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  bytes.set(ENTRY_MAGIC, 0);
  bytes[OFF.version] = ENTRY_VERSION;
  bytes.set(groupIdToBytes(input.groupId), OFF.groupId);
  bytes.set(input.identity.publicKey, OFF.author);
  view.setUint32(OFF.seq, input.seq);
  bytes.set(prevBytes, OFF.prev);
  writeU64(view, OFF.lamport, input.lamport);
  writeU64(view, OFF.time, input.time);
  bytes.set(nonce, OFF.nonce);
  view.setUint32(OFF.bodyLength, bodyLength);
  const aad = bytes.subarray(0, HEADER_LENGTH);
  bytes.set(encryptBody(input.groupKey, nonce, plaintext, aad), HEADER_LENGTH);
  const signedEnd = HEADER_LENGTH + bodyLength;
  bytes.set(await sign(input.identity.secretKey, signingMessage(bytes.subarray(0, signedEnd))), signedEnd);

  const id = entryIdOf(bytes);
  const header: EntryHeader = {
    version: ENTRY_VERSION,
    groupId: input.groupId,
    author: bytesToHex(input.identity.publicKey),
    seq: input.seq,
    prev: input.prev,
    lamport: input.lamport,
    time: input.time,
  };
  return { id, bytes, entry: { id, header, event } };
}

export interface GroupSecrets {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
}

/**
 * The full stateless check of one entry, in this order: size, decoding, group, signature,
 * decryption, JSON, event schema. Chain rules (seq/prev, lamport, membership) need the
 * group's log: see GroupLog.
 */
export async function openEntry(
  bytes: Uint8Array,
  { groupId, groupKey }: GroupSecrets,
): Promise<Result<VerifiedEntry, EntryErrorCode>> {
  const decoded = decodeEntry(bytes);
  if (!decoded.ok) return decoded;
  const d = decoded.value;
  if (d.header.groupId !== groupId) {
    return entryError('wrong_group', `entry belongs to group ${d.header.groupId}, not ${groupId}`);
  }
  if (!(await verifyEntrySignature(d))) return badSignature();
  const event = decryptEvent(d, groupKey);
  if (!event.ok) return event;
  return ok({ id: entryIdOf(bytes), header: d.header, event: event.value });
}

export function badSignature(): { ok: false; error: WalletError<'bad_signature'> } {
  return err(
    'bad_signature',
    'signature does not verify: the header or body was altered, or it was signed by another key',
  );
}
