/**
 * Test helpers for key rotation: members with real identities who publish X25519 keys, write
 * under whichever epoch key they hold, and rotate; and a device's log that opens its boxes.
 */
import { x25519PublicHex } from '../crypto/x25519';
import type { CreatedEntry, WalletEventInput } from './envelope';
import { fold } from './fold';
import { GroupLog } from './group-log';
import { keyOpenerFor, newRotation } from './key-rotation';
import { newGroup, type TestGroup, TestAuthor } from './test-fixtures';
import type { GroupState } from './types';

/** A member who knows some epoch keys and writes under the one it was told to. */
export class RotatingAuthor extends TestAuthor {
  /** The key this member writes under (epoch 0's until it rotates or learns another). */
  key: Uint8Array;

  constructor(group: TestGroup) {
    super(group);
    this.key = group.groupKey;
  }

  get x25519(): string {
    return x25519PublicHex(this.identity);
  }

  say(text: string): Promise<CreatedEntry> {
    return this.put({ type: 'chat.message', text });
  }

  put(event: WalletEventInput): Promise<CreatedEntry> {
    return this.write(event, { groupKey: this.key });
  }

  /**
   * Rotates as of `state` (what this member has seen): writes key.rotated under its current key,
   * then switches to the new key.
   */
  async rotate(state: GroupState): Promise<CreatedEntry> {
    const rotation = newRotation(state, this.id);
    const created = await this.put(rotation.event);
    this.key = rotation.key;
    return created;
  }
}

/** A group created by the first of `names`, all of whom join with an X25519 key. */
export async function rotationGroup(names: readonly string[]) {
  const g = newGroup();
  const members = names.map(() => new RotatingAuthor(g));
  const entries: CreatedEntry[] = [];
  const [creator, ...rest] = members;
  entries.push(
    await creator!.write({
      type: 'group.created',
      name: 'Flat',
      currency: 'CNY',
      memberName: names[0]!,
      x25519: creator!.x25519,
    }),
  );
  for (const [i, m] of rest.entries()) {
    entries.push(await m.write({ type: 'member.joined', name: names[i + 1]!, x25519: m.x25519 }));
  }
  return { g, members, entries };
}

/** The log of `member`'s device: epoch 0's key, and its own boxes in key.rotated entries. */
export function deviceLog(g: TestGroup, member: TestAuthor): GroupLog {
  return new GroupLog({
    groupId: g.groupId,
    groupKey: g.groupKey,
    keyOpener: keyOpenerFor(member.identity, g.groupId),
  });
}

export const stateOf = (g: TestGroup, entries: readonly CreatedEntry[]): GroupState =>
  fold(
    g.groupId,
    entries.map((e) => e.entry),
  );
