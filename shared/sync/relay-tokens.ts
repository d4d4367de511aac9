/**
 * Which relay tokens a device holds for one group (docs/protocol.md §15, "Relay token"): one per
 * key epoch it can read, derived from that epoch's key as epoch 0's is from the invite's key,
 * newest first, and the token an invite carried when it was made after a rotation. A transport
 * connects with the newest; a relay that does not know it yet (4401) or a LAN relay that does not
 * serve it (4403) is tried with the next one, and once in, the device hands the newest over
 * (relay-handover.ts), so the room follows the group from epoch to epoch and keeps its history.
 */
import { deriveRelayToken } from '../crypto/group-key';
import type { Identity } from '../crypto/identity';
import type { EntryId, GroupId, KeyEpochsState } from '../ledger/types';
import { encodeHandOverRequest } from './relay-handover';

export interface EpochToken {
  /** The key epoch it belongs to; null for an invite's token (its epoch is the relay's business). */
  readonly epoch: number | null;
  readonly token: string;
}

/** What a transport needs: the tokens, news of a new one, and a signed hand-over. */
export interface RelayTokens {
  /** Newest first; never empty (epoch 0's token is always there). */
  list(): readonly EpochToken[];
  /** Called when the list changes (a rotation arrived); returns the unsubscribe. */
  subscribe(listener: () => void): () => void;
  /** The WebSocket message asking the relay, reached with `fromToken`, to accept `to` too. */
  handOverMessage(fromToken: string, to: EpochToken & { readonly epoch: number }): Promise<Uint8Array>;
}

export interface RelayTokenChainOptions {
  readonly groupId: GroupId;
  /** The key this device signs with (the relay checks the hand-over against the room's authors). */
  readonly identity: Identity;
  readonly groupKey: Uint8Array;
  /** A relay token the invite carried (64 hex), if it was made after a rotation. */
  readonly inviteRelayToken?: string | undefined;
}

/**
 * The tokens for the epochs this device holds keys of, newest first: each winning rotation's
 * key (when held), then the invite's token, then epoch 0's. Pure: derived from the fold's key
 * state and the keys the device holds.
 */
export function relayTokensFor(
  keys: KeyEpochsState | undefined,
  rotationKey: (id: EntryId) => Uint8Array | undefined,
  groupKey: Uint8Array,
  inviteToken?: string,
): EpochToken[] {
  const out: EpochToken[] = [];
  const winners = (keys?.rotations ?? []).filter((r) => r.winner).sort((a, b) => b.epoch - a.epoch);
  for (const r of winners) {
    const key = rotationKey(r.id);
    if (key !== undefined) out.push({ epoch: r.epoch, token: deriveRelayToken(key) });
  }
  const first = deriveRelayToken(groupKey);
  if (inviteToken !== undefined && inviteToken !== first && !out.some((t) => t.token === inviteToken)) {
    out.push({ epoch: null, token: inviteToken });
  }
  out.push({ epoch: 0, token: first });
  return out;
}

export class RelayTokenChain implements RelayTokens {
  readonly #o: RelayTokenChainOptions;
  #list: readonly EpochToken[];
  readonly #listeners = new Set<() => void>();

  constructor(options: RelayTokenChainOptions) {
    this.#o = options;
    this.#list = relayTokensFor(undefined, () => undefined, options.groupKey, options.inviteRelayToken);
  }

  list(): readonly EpochToken[] {
    return this.#list;
  }

  /** The newest token: what an invite made now carries. */
  get newest(): EpochToken {
    return this.#list[0]!;
  }

  /** Re-derives the list from a new fold; listeners hear of it only when it changed. */
  update(keys: KeyEpochsState | undefined, rotationKey: (id: EntryId) => Uint8Array | undefined): void {
    const next = relayTokensFor(keys, rotationKey, this.#o.groupKey, this.#o.inviteRelayToken);
    const same = next.length === this.#list.length && next.every((t, i) => t.token === this.#list[i]!.token);
    if (same) return;
    this.#list = next;
    for (const listener of [...this.#listeners]) listener();
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  handOverMessage(fromToken: string, to: EpochToken & { readonly epoch: number }): Promise<Uint8Array> {
    return encodeHandOverRequest(this.#o.identity, this.#o.groupId, fromToken, to.epoch, to.token);
  }
}
