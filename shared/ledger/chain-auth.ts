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

export async function authenticateBatch<C extends AuthCandidate, H extends ChainLink>(
  batch: readonly C[],
  ctx: AuthContext<H>,
): Promise<AuthResult<C, H>> {
  const byId = new Map<EntryId, C>();
  for (const c of batch) byId.set(c.id, c);
  const parentOf = (c: ChainLink): C | undefined => {
    const p = c.header.prev === null ? undefined : byId.get(c.header.prev);
    return p && isParent(p, c) ? p : undefined;
  };

  // How many in-batch children could still vouch for each entry.
  const openChildren = new Map<EntryId, number>();
  for (const c of batch) {
    const p = parentOf(c);
    if (p) openChildren.set(p.id, (openChildren.get(p.id) ?? 0) + 1);
  }

  const authentic = new Set<EntryId>();
  const released: H[] = [];
  const vouch = (start: C): void => {
    let c: ChainLink | undefined = start;
    while (c && !authentic.has(c.id)) {
      authentic.add(c.id);
      const p: C | undefined = parentOf(c);
      if (p) {
        c = p;
      } else if (c.header.prev !== null) {
        const held = ctx.releaseHeld(c.header.prev, c.header.author, c.header.seq - 1);
        if (held) released.push(held);
        c = held;
      } else {
        c = undefined;
      }
    }
  };

  for (const c of batch) if (ctx.vouchedByKnownChild(c)) vouch(c);
  let tips = batch.filter((c) => !authentic.has(c.id) && !openChildren.has(c.id));
  const failed = new Set<EntryId>();
  let verified = 0;
  while (tips.length > 0) {
    const results = await verifyBatch(
      tips.map((c) => ({
        publicKey: c.decoded.authorKey,
        message: signingMessage(c.decoded.signed),
        signature: c.decoded.signature,
      })),
    );
    verified += tips.length;
    const next: C[] = [];
    tips.forEach((c, i) => {
      if (results[i]) {
        vouch(c);
        return;
      }
      failed.add(c.id);
      const p = parentOf(c);
      if (!p || authentic.has(p.id)) return;
      const open = (openChildren.get(p.id) ?? 1) - 1;
      openChildren.set(p.id, open);
      // Every child that could vouch for p failed: p has to prove itself.
      if (open === 0) next.push(p);
    });
    tips = next;
  }

  const result: AuthResult<C, H> = { authentic: [], forged: [], released, verified };
  for (const c of batch) {
    if (authentic.has(c.id)) result.authentic.push(c);
    else if (failed.has(c.id)) result.forged.push(c);
  }
  return result;
}
