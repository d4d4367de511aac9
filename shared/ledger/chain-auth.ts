/**
 * Chain-tip authentication: which entries of a batch need their own signature checked.
 *
 * Each entry's header holds `prev`, the SHA-256 id of the author's entry seq − 1, and the
 * signature covers the header. So a valid signature on entry n commits its author to the
 * exact bytes of entry n − 1, whose prev commits to n − 2, and so on (as in Secure
 * Scuttlebutt and Hypercore). Rule used everywhere in the protocol:
 *
 *   an entry is authentic ⇔ its own signature verifies, or an authentic entry of the same
 *   author with seq + 1 names its id as prev.
 *
 * Verifying only the newest entry of each hash-linked run therefore authenticates the run;
 * when a tip fails, its predecessor becomes the tip to check, which finds the authentic
 * prefix. The rule is a property of the set of entries, not of the arrival order, so batch
 * and one-by-one ingest accept the same entries.
 *
 * `ChainAuthenticator` is the round-by-round core (no I/O, positions instead of id lookups, so
 * a 10k batch costs a few array passes); `authenticateBatch` drives it with real signature
 * checks. GroupLog also drives it with verdicts it already has (live entries checked on
 * their own signatures), without an await per entry.
 */
import { verifyBatch } from '../crypto/sign';
import { type DecodedEntry, signingMessage } from './envelope';
import type { EntryHeader, EntryId } from './types';

export interface ChainLink {
  readonly id: EntryId;
  readonly header: EntryHeader;
}

export interface AuthCandidate extends ChainLink {
  readonly decoded: DecodedEntry;
}

export interface AuthContext<H extends ChainLink> {
  /** True when an already authenticated entry outside the batch names `c` as its prev. */
  vouchedByKnownChild(c: ChainLink): boolean;
  /**
   * Hands over an entry held from an earlier call (its own signature failed) that is the
   * author's entry `seq` with id `id`, now vouched for; undefined when there is none.
   */
  releaseHeld(id: EntryId, author: string, seq: number): H | undefined;
}

export interface AuthResult<C, H> {
  readonly authentic: C[];
  /** Entries whose own signature failed and that nothing in view vouches for. */
  readonly forged: C[];
  /** Held entries (from `releaseHeld`) that this batch vouched for. */
  readonly released: H[];
  /** Number of signatures actually verified (the fast path's whole point). */
  readonly verified: number;
}

function isParent(parent: ChainLink, child: ChainLink): boolean {
  return (
    child.header.prev === parent.id &&
    parent.header.author === child.header.author &&
    parent.header.seq === child.header.seq - 1
  );
}

const NONE = -1;

/**
 * One authentication of one batch, round by round: `tips()` names the positions whose
 * signatures are needed next, `record()` takes their verdicts, until `tips()` is empty.
 */
export class ChainAuthenticator<C extends ChainLink, H extends ChainLink> {
  readonly #batch: readonly C[];
  readonly #ctx: AuthContext<H>;
  readonly #byId = new Map<EntryId, number>();
  /** Position of each entry's parent in the batch, or NONE. */
  readonly #parent: Int32Array;
  /** How many in-batch children could still vouch for each entry. */
  readonly #openChildren: Int32Array;
  /** 1 = authentic, 2 = own signature failed. */
  readonly #state: Uint8Array;
  readonly #released: H[] = [];
  /** Ids of released held entries, so a chain walk stops at them like at batch entries. */
  #releasedIds: Set<EntryId> | undefined;
  #tips: number[];
  #verified = 0;

  constructor(batch: readonly C[], ctx: AuthContext<H>) {
    const n = batch.length;
    this.#batch = batch;
    this.#ctx = ctx;
    this.#parent = new Int32Array(n).fill(NONE);
    this.#openChildren = new Int32Array(n);
    this.#state = new Uint8Array(n);
    const byId = this.#byId;
    for (let i = 0; i < n; i++) byId.set(batch[i]!.id, i);
    for (let i = 0; i < n; i++) {
      const p = this.#parentInBatch(batch[i]!);
      this.#parent[i] = p;
      if (p !== NONE) this.#openChildren[p]!++;
    }
    for (let i = 0; i < n; i++) if (ctx.vouchedByKnownChild(batch[i]!)) this.#vouch(i);
    const tips: number[] = [];
    for (let i = 0; i < n; i++) if (this.#state[i] === 0 && this.#openChildren[i] === 0) tips.push(i);
    this.#tips = tips;
  }

  /** Positions (in the batch) whose own signature must be checked in this round; empty when done. */
  tips(): readonly number[] {
    return this.#tips;
  }

  /** Verdicts for the positions last returned by `tips()`, in the same order. */
  record(valid: readonly boolean[]): void {
    const tips = this.#tips;
    this.#verified += tips.length;
    const next: number[] = [];
    for (let k = 0; k < tips.length; k++) {
      const i = tips[k]!;
      if (valid[k]) {
        this.#vouch(i);
        continue;
      }
      this.#state[i] = 2;
      const p = this.#parent[i]!;
      if (p === NONE || this.#state[p] === 1) continue;
      // Every child that could vouch for p failed: p has to prove itself.
      if (--this.#openChildren[p]! === 0) next.push(p);
    }
    this.#tips = next;
  }

  result(): AuthResult<C, H> {
    const authentic: C[] = [];
    const forged: C[] = [];
    const batch = this.#batch;
    for (let i = 0; i < batch.length; i++) {
      const s = this.#state[i];
      if (s === 1) authentic.push(batch[i]!);
      else if (s === 2) forged.push(batch[i]!);
    }
    return { authentic, forged, released: this.#released, verified: this.#verified };
  }

  #parentInBatch(c: ChainLink): number {
    const prev = c.header.prev;
    if (prev === null) return NONE;
    const p = this.#byId.get(prev);
    return p !== undefined && isParent(this.#batch[p]!, c) ? p : NONE;
  }

  /** Marks `start` authentic and everything down its chain, in the batch and among held entries. */
  #vouch(start: number): void {
    let i = start;
    let held: H | undefined;
    for (;;) {
      let link: ChainLink;
      let p: number;
      if (held === undefined) {
        if (this.#state[i] === 1) return;
        this.#state[i] = 1;
        link = this.#batch[i]!;
        p = this.#parent[i]!;
      } else {
        link = held;
        p = this.#parentInBatch(held);
      }
      if (p !== NONE) {
        i = p;
        held = undefined;
        continue;
      }
      const { prev, author, seq } = link.header;
      if (prev === null || this.#releasedIds?.has(prev)) return;
      held = this.#ctx.releaseHeld(prev, author, seq - 1);
      if (held === undefined) return;
      this.#released.push(held);
      this.#releasedIds ??= new Set();
      this.#releasedIds.add(held.id);
    }
  }
}

export async function authenticateBatch<C extends AuthCandidate, H extends ChainLink>(
  batch: readonly C[],
  ctx: AuthContext<H>,
): Promise<AuthResult<C, H>> {
  const auth = new ChainAuthenticator(batch, ctx);
  for (let tips = auth.tips(); tips.length > 0; tips = auth.tips()) {
    auth.record(
      await verifyBatch(
        tips.map((i) => {
          const d = batch[i]!.decoded;
          return { publicKey: d.authorKey, message: signingMessage(d.signed), signature: d.signature };
        }),
      ),
    );
  }
  return auth.result();
}
