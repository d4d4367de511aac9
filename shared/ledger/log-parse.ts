/**
 * The cheap synchronous checks GroupLog runs first on every input: size, id, the id its sender
 * filed it under, duplicates, earlier refusals, header decoding and group.
 */
import { ok } from '../errors';
import { decodeHeader, MAX_ENTRY_SIZE } from './envelope';
import type { ReportBuilder, Verdict } from './log-report';
import type { Candidate } from './placement';
import type { EntryHeader, EntryId, GroupId, VerifiedEntry } from './types';

export interface ParseGiven {
  readonly known?: readonly (VerifiedEntry | undefined)[];
  readonly header?: EntryHeader;
  /** Per input, its header as a preparer decoded it (undefined: decode it here). */
  readonly headers?: readonly (EntryHeader | undefined)[];
  readonly keys?: readonly (string | undefined)[];
}

/** What the checks need of the log. */
export interface ParseLog {
  readonly groupId: GroupId;
  /** Accepted, pending or unreadable already: a duplicate. */
  known(id: EntryId): boolean;
  /** The verdict of an entry refused for good. */
  refusal(id: EntryId): Verdict | undefined;
}

/**
 * Size, id, duplicates, decoding and group: the cheap synchronous checks. `ids[i]` is the id
 * of `inputs[i]` (computed by the caller, undefined when it is not hashable); `known` holds
 * entries restored or created here (their header and event are trusted); `header` is
 * inputs[0]'s decoded header when the caller already checked it; `headers` those a preparer
 * decoded; `keys` are the ids the sender claimed (see ingest).
 */
export function parseCandidates(
  inputs: readonly (Uint8Array | undefined)[],
  ids: readonly (EntryId | undefined)[],
  report: ReportBuilder,
  given: ParseGiven,
  log: ParseLog,
): Candidate[] {
  const { known, keys } = given;
  const seen = new Set<EntryId>();
  const out: Candidate[] = [];
  for (let index = 0; index < inputs.length; index++) {
    const bytes = inputs[index];
    if (!(bytes instanceof Uint8Array)) {
      report.reject('malformed', 'an entry is a byte array', undefined, index);
      continue;
    }
    const id = ids[index];
    if (id === undefined) {
      report.reject(
        'too_large',
        `entry is ${bytes.length} bytes, the limit is ${MAX_ENTRY_SIZE}`,
        undefined,
        index,
      );
      continue;
    }
    const key = keys?.[index];
    if (key !== undefined && key !== id) {
      report.reject('key_mismatch', `filed under ${key.slice(0, 12)}…, which is not its id`, id, index);
      continue;
    }
    if (seen.has(id) || log.known(id)) {
      report.duplicates++;
      continue;
    }
    seen.add(id);
    const verdict = log.refusal(id);
    if (verdict) {
      report.reject(verdict.code, verdict.message, id, index);
      continue;
    }
    const entry = known?.[index];
    let h = given.header ?? entry?.header ?? given.headers?.[index];
    if (h === undefined) {
      const decoded = decodeHeader(bytes);
      if (!decoded.ok) {
        report.reject(decoded.error.code, decoded.error.message, id, index);
        continue;
      }
      h = decoded.value;
    }
    if (h.groupId !== log.groupId) {
      report.reject('wrong_group', `entry belongs to group ${h.groupId}, not ${log.groupId}`, id, index);
      continue;
    }
    out.push({ id, index, header: h, bytes, opened: entry === undefined ? undefined : ok(entry.event) });
  }
  return out;
}
