/**
 * Valid signed envelopes for the relay's tests, the attack tests and the benchmarks: a real
 * group (`envelopeRoom`), or authors and entries for any room id (`roomAuthors`,
 * `signedEntries`). The hardened relay deletes every map value that is not a canonical,
 * correctly signed envelope of the room's group, so a room has to be made large (or a probe
 * has to write) with real entries: a group.created, joins, then chat messages whose text is as
 * large as the schema allows.
 */
import { deriveRelayToken, generateGroupId, generateGroupKey } from '../../shared/crypto/group-key';
import type { CreatedEntry } from '../../shared/ledger/envelope';
import { chat, TestAuthor, type TestGroup } from '../../shared/ledger/test-fixtures';

/** Longest chat text the event schema accepts (UTF-16 code units). */
const MAX_CHAT_CHARS = 4000;
/** CJK characters are one code unit but three UTF-8 bytes: the largest body one chat entry can carry (~12 KB). */
const WIDE = '記帳分攤費用晚飯房租電費網路咖啡電影計程車';

export interface EnvelopeRoom {
  readonly group: TestGroup;
  /** Room id on the relay: the group id (32 hex characters). */
  readonly roomId: string;
  /** The relay token a member derives from the group key. */
  readonly token: string;
  readonly authors: readonly TestAuthor[];
  /** group.created by the first author, then one member.joined per other author. */
  readonly setup: readonly CreatedEntry[];
}

/** A group with `authorCount` members who have all joined. */
export async function envelopeRoom(authorCount = 1): Promise<EnvelopeRoom> {
  const authors = roomAuthors(generateGroupId(), Math.max(1, authorCount));
  const [owner, ...others] = authors as [TestAuthor, ...TestAuthor[]];
  const group = owner.group;
  const setup = [
    await owner.write({ type: 'group.created', name: 'Attack flat', currency: 'CNY', memberName: 'Owner' }),
  ];
  for (const [i, a] of others.entries()) setup.push(await a.join(`Member ${i + 2}`));
  return { group, roomId: group.groupId, token: deriveRelayToken(group.groupKey), authors, setup };
}

/**
 * Authors writing real signed envelopes for a room (its id is the group id; the group key is
 * random, the relay never sees it): what the relay admits. Share one list so lamports interleave.
 */
export function roomAuthors(roomId: string, count = 1): TestAuthor[] {
  const group = { groupId: roomId, groupKey: generateGroupKey(), clock: 0 };
  return Array.from({ length: count }, () => new TestAuthor(group));
}

/** `count` valid envelopes for a room from `authors` authors (each starts with its join), interleaved. */
export async function signedEntries(roomId: string, count: number, authors = 1): Promise<CreatedEntry[]> {
  const writers = roomAuthors(roomId, authors);
  const out: CreatedEntry[] = [];
  for (let i = 0; i < count; i++) {
    const author = writers[i % writers.length]!;
    out.push(await (author.seq === 0 ? author.join(`Member ${i}`) : author.write(chat(`message ${i}`))));
  }
  return out;
}

/** A chat text of `chars` code units (wide characters, so ~3 bytes each), different per `n`. */
export function wideText(n: number, chars = MAX_CHAT_CHARS): string {
  const prefix = `#${n} `;
  let text = prefix;
  for (let i = 0; text.length < chars; i++) text += WIDE[(n + i) % WIDE.length];
  return text.slice(0, chars);
}

/**
 * Chat entries round-robin over the room's authors until their bytes add up to `targetBytes`
 * (each ~12 KB, so a 15 MB room is ~1,250 signatures). Spreading over several authors keeps
 * any one author far below a per-author quota.
 */
export async function fillerEntries(room: EnvelopeRoom, targetBytes: number): Promise<CreatedEntry[]> {
  const out: CreatedEntry[] = [];
  let bytes = 0;
  for (let n = 0; bytes < targetBytes; n++) {
    const author = room.authors[n % room.authors.length] as TestAuthor;
    const created = await author.write(chat(wideText(n)));
    out.push(created);
    bytes += created.bytes.byteLength;
  }
  return out;
}

/** `count` small chat entries by one author (probe writes: a few hundred bytes each). */
export async function smallEntries(
  author: TestAuthor,
  count: number,
  label = 'probe',
): Promise<CreatedEntry[]> {
  const out: CreatedEntry[] = [];
  for (let i = 0; i < count; i++) out.push(await author.write(chat(`${label} ${i}`)));
  return out;
}

export const totalBytes = (entries: readonly CreatedEntry[]): number =>
  entries.reduce((sum, e) => sum + e.bytes.byteLength, 0);
