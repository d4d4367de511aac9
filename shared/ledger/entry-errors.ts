/** Stable codes for every reason an entry is refused; the UI and the sync layer branch on these. */
import { err, type WalletError } from '../errors';

export type EntryErrorCode =
  /** Not a well-formed envelope: bad magic, lengths, field ranges or trailing bytes. */
  | 'malformed'
  /** A well-formed envelope of a version this build does not read. */
  | 'unsupported_version'
  /** Larger than MAX_ENTRY_SIZE. */
  | 'too_large'
  /** The header names another group. */
  | 'wrong_group'
  /** The signature does not verify: header or body altered, or signed by another key. */
  | 'bad_signature'
  /** The body does not decrypt with the group key. */
  | 'decrypt_failed'
  /** The body is not UTF-8 JSON of a valid event. */
  | 'schema_invalid'
  /** prev is not the id of the author's entry seq − 1 (or that entry was refused). */
  | 'chain_broken'
  /** lamport does not exceed the author's previous entry's lamport. */
  | 'lamport_not_increasing'
  /** The author's first entry is not group.created or member.joined. */
  | 'not_member'
  /** Filed by its sender under an id that is not its own (GroupLog.ingest's `keys`). */
  | 'key_mismatch'
  /** Too many entries already wait (for their predecessor or for lower entries); offer this one again later. */
  | 'pending_full';

export function entryError(
  code: EntryErrorCode,
  message: string,
): { ok: false; error: WalletError<EntryErrorCode> } {
  return err<EntryErrorCode>(code, message);
}
