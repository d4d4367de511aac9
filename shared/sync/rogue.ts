/**
 * A rogue member for the convergence fuzz (issue 10): she joined the group honestly, so she
 * holds the key and a valid identity, and from then on does what an insider can do to the
 * shared map: junk values of every kind, entries with poisoned lamport clocks, forks (her
 * identity restored on two devices that both keep writing), floods of values in one update or
 * in many, and deletions of other people's entries. Honest replicas must still converge and
 * always be able to write.
 */
import * as Y from 'yjs';
import { generateGroupId } from '../crypto/group-key';
import type { Identity } from '../crypto/identity';
import { memberIdOf } from '../crypto/identity';
import { createEntry, entryIdOf } from '../ledger/envelope';
import type { LoggedEntry } from '../ledger/group-log';
import { LAMPORT_LEAD_BOUND } from '../ledger/lamport-rule';
import { ENTRIES_MAP } from './group-sync';
import type { MemoryNetwork } from './memory-network';
import { randomOp } from './random-ops';
import type { SeededRandom } from './seeded-random';
import type { GroupSecrets, Replica } from './sync-testkit';
import type { Transport } from './transport';

const MAX_LAMPORT = 2 ** 53 - 1;

export type RogueAction = 'junk' | 'poison' | 'fork' | 'flood' | 'delete' | 'replay';

/** What the rogue did in one run (shows which hostile paths a seed exercised). */
export type RogueTally = Record<RogueAction, number>;

export class Rogue {
  readonly tally: RogueTally = { junk: 0, poison: 0, fork: 0, flood: 0, delete: 0, replay: 0 };
  private readonly doc = new Y.Doc();
  private readonly map = this.doc.getMap<unknown>(ENTRIES_MAP);
  private link: Transport;

  /**
   * `devices`: two replicas with the rogue's identity (separate stores), both members' copies
   * of one person; `raw` writes go through a bare document with no binding on top.
   */
  constructor(
    private readonly network: MemoryNetwork,
    private readonly secrets: GroupSecrets,
    readonly identity: Identity,
    readonly devices: readonly [Replica, Replica],
  ) {
    this.link = network.connectDoc(this.doc);
  }

  get memberId(): string {
    return memberIdOf(this.identity.publicKey);
  }

  /** One hostile action, chosen by `rng`; `witness` is an honest replica whose log she reads. */
  async act(rng: SeededRandom, witness: Replica, now: () => number): Promise<RogueAction> {
    const roll = rng.next();
    if (roll < 0.25) await this.junk(rng, witness, now);
    else if (roll < 0.45) await this.poison(rng, witness, now);
    else if (roll < 0.65) await this.fork(rng);
    else if (roll < 0.8) await this.flood(rng, witness, now);
    else if (roll < 0.9) this.deleteSome(rng, witness);
    else this.replay(rng, witness);
    return this.last;
  }

  private last: RogueAction = 'junk';

  private count(action: RogueAction): void {
    this.last = action;
    this.tally[action] += 1;
  }

  private set(values: ReadonlyArray<readonly [string, unknown]>): void {
    this.doc.transact(() => {
      for (const [key, value] of values) this.map.set(key, value);
    });
  }

  /** Her newest entry as `witness` sees it: the next header a crafted entry of hers continues. */
  private next(witness: Replica): { seq: number; prev: string | null; lamport: number } {
    const entries = witness.sync.entries();
    const own = entries.filter((e) => e.header.author === this.memberId);
    const head = own.at(-1);
    const lamport = Math.max(0, ...entries.map((e) => e.header.lamport)) + 1;
    return { seq: (head?.header.seq ?? 0) + 1, prev: head?.id ?? null, lamport };
  }

  private async craft(
    witness: Replica,
    now: () => number,
    over: Partial<{ lamport: number; groupId: string; text: string }> = {},
  ): Promise<{ id: string; bytes: Uint8Array }> {
    return createEntry({
      identity: this.identity,
      groupId: over.groupId ?? this.secrets.groupId,
      groupKey: this.secrets.groupKey,
      time: now(),
      event: { type: 'chat.message', text: over.text ?? 'rogue' },
      ...this.next(witness),
      ...(over.lamport !== undefined ? { lamport: over.lamport } : {}),
    });
  }

  /** A value no honest client would write: each kind the clients must refuse and remove. */
  private async junkValue(
    rng: SeededRandom,
    witness: Replica,
    now: () => number,
  ): Promise<[string, unknown]> {
    const key = hexOf(rng, 32);
    switch (rng.int(0, 7)) {
      case 0:
        return [key, bytesOf(rng, rng.int(1, 3000))];
      case 1:
        return [key, `not bytes ${rng.int(0, 1e6)}`];
      case 2:
        return [key, { type: 'chat.message', text: 'json, not an envelope' }];
      case 3: {
        const entry = await this.craft(witness, now);
        return [key, entry.bytes]; // a valid entry under a key that is not its id
      }
      case 4: {
        const entry = await this.craft(witness, now, { groupId: generateGroupId() });
        return [entry.id, entry.bytes];
      }
      case 5: {
        const entry = await this.craft(witness, now);
        const cut = entry.bytes.slice(0, rng.int(1, entry.bytes.length - 1));
        return [entryIdOf(cut), cut];
      }
      case 6: {
        const entry = await this.craft(witness, now);
        const bad = entry.bytes.slice();
        const at = rng.int(0, bad.length - 1);
        bad[at] = (bad[at] ?? 0) ^ 0x01;
        return [entryIdOf(bad), bad];
      }
      default:
        return [key, rng.int(0, 1000)];
    }
  }

  private async junk(rng: SeededRandom, witness: Replica, now: () => number): Promise<void> {
    this.count('junk');
    const values: Array<[string, unknown]> = [];
    for (let n = rng.int(1, 3); n > 0; n--) values.push(await this.junkValue(rng, witness, now));
    this.set(values);
  }

  /** A validly signed entry of hers whose lamport leads the group by far more than B. */
  private async poison(rng: SeededRandom, witness: Replica, now: () => number): Promise<void> {
    this.count('poison');
    const choices = [
      MAX_LAMPORT - 2,
      MAX_LAMPORT,
      LAMPORT_LEAD_BOUND + witness.sync.entries().length + rng.int(10, 1000),
      rng.int(LAMPORT_LEAD_BOUND * 4, 2 ** 40),
    ];
    const entry = await this.craft(witness, now, { lamport: rng.pick(choices), text: 'poison' });
    this.set([[entry.id, entry.bytes]]);
  }

  /** Her two devices write on their own: with one identity, that forks her chain. */
  private async fork(rng: SeededRandom): Promise<void> {
    this.count('fork');
    for (const device of this.devices) {
      try {
        await device.sync.whenIdle();
        await device.sync.append(randomOp(rng, device.sync.state, device.sync.memberId));
      } catch {
        // A device that already saw its own fork may refuse to write (author_forked): her problem.
      }
    }
  }

  /** Many values at once (one large update) or many updates in a row. */
  private async flood(rng: SeededRandom, witness: Replica, now: () => number): Promise<void> {
    this.count('flood');
    const many = rng.int(20, 80);
    if (rng.chance(0.5)) {
      const values: Array<[string, unknown]> = [];
      for (let i = 0; i < many; i++) values.push([hexOf(rng, 32), bytesOf(rng, rng.int(100, 600))]);
      this.set(values);
    } else {
      for (let i = 0; i < many / 4; i++) this.set([await this.junkValue(rng, witness, now)]);
    }
  }

  /** Deletes (or overwrites) values honest members wrote; they must put them back. */
  private deleteSome(rng: SeededRandom, witness: Replica): void {
    this.count('delete');
    const entries = witness.sync.entries();
    if (entries.length === 0) return;
    this.doc.transact(() => {
      for (let n = rng.int(1, 3); n > 0; n--) {
        const victim = rng.pick(entries);
        if (rng.chance(0.5)) this.map.delete(victim.id);
        else this.map.set(victim.id, bytesOf(rng, 64));
      }
    });
  }

  /** Known entries again: duplicates must change nothing. */
  private replay(rng: SeededRandom, witness: Replica): void {
    this.count('replay');
    const entries: readonly LoggedEntry[] = witness.sync.entries();
    if (entries.length === 0) return;
    this.set(
      Array.from({ length: rng.int(1, 5) }, () => rng.pick(entries)).map((e) => [e.id, e.bytes.slice()]),
    );
  }

  async close(): Promise<void> {
    this.link.destroy();
    this.doc.destroy();
    await Promise.all(this.devices.map((d) => d.sync.close()));
  }

  /** Reconnects her bare document (its content is queued again for the hub). */
  reconnect(): void {
    this.link.destroy();
    this.link = this.network.connectDoc(this.doc);
  }
}

function bytesOf(rng: SeededRandom, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rng.int(0, 255));
}

function hexOf(rng: SeededRandom, n: number): string {
  return Array.from(bytesOf(rng, n), (b) => b.toString(16).padStart(2, '0')).join('');
}
