import { describe, expect, it } from 'vitest';
import { deriveRelayToken, generateGroupId, generateGroupKey } from '../crypto/group-key';
import { generateIdentity } from '../crypto/identity';
import { bytesToHex } from '../crypto/hash';
import type { EntryId, KeyEpochsState, KeyRotationState } from '../ledger/types';
import {
  decodeHandOverPayload,
  HANDOVER_REQUEST,
  MESSAGE_RELAY_TOKEN,
  relayTokenHash,
  verifyHandOver,
} from './relay-handover';
import { RelayTokenChain, relayTokensFor } from './relay-tokens';
import { RelayTokenUse } from './relay-token-use';

function rotation(id: string, epoch: number, winner: boolean): KeyRotationState {
  return {
    id: id as EntryId,
    epoch,
    author: 'a'.repeat(64),
    recipients: [],
    unsealed: [],
    winner,
    lamport: epoch,
    time: 0,
  };
}

function keysState(rotations: KeyRotationState[]): KeyEpochsState {
  const current = rotations.filter((r) => r.winner).sort((a, b) => b.epoch - a.epoch)[0];
  return {
    epoch: current?.epoch ?? 0,
    current: current?.id ?? null,
    rotations,
    needsRotation: false,
    shares: [],
    missingKeys: [],
  };
}

describe('relay tokens per epoch', () => {
  const groupKey = generateGroupKey();
  const k1 = generateGroupKey();
  const k2 = generateGroupKey();
  const loser = generateGroupKey();
  const held = new Map<string, Uint8Array>([
    ['r1', k1],
    ['r2', k2],
    ['r1b', loser],
  ]);
  const rotations = [rotation('r1', 1, true), rotation('r1b', 1, false), rotation('r2', 2, true)];

  it('derives one token per winning epoch it holds a key of, newest first, epoch 0 last', () => {
    const list = relayTokensFor(keysState(rotations), (id) => held.get(id), groupKey);
    expect(list).toEqual([
      { epoch: 2, token: deriveRelayToken(k2) },
      { epoch: 1, token: deriveRelayToken(k1) },
      { epoch: 0, token: deriveRelayToken(groupKey) },
    ]);
  });

  it('skips an epoch whose key this device does not hold, and keeps an invite token before epoch 0', () => {
    const invite = 'ab'.repeat(32);
    const list = relayTokensFor(
      keysState(rotations),
      (id) => (id === 'r1' ? k1 : undefined),
      groupKey,
      invite,
    );
    expect(list.map((t) => t.epoch)).toEqual([1, null, 0]);
    expect(list[1]!.token).toBe(invite);
    // An invite token equal to a derived one is not listed twice.
    const same = relayTokensFor(keysState(rotations), (id) => held.get(id), groupKey, deriveRelayToken(k1));
    expect(same.map((t) => t.epoch)).toEqual([2, 1, 0]);
  });

  it('tells listeners only when the list changes', () => {
    const chain = new RelayTokenChain({
      groupId: generateGroupId(),
      identity: generateIdentity(),
      groupKey,
    });
    let heard = 0;
    const stop = chain.subscribe(() => heard++);
    chain.update(keysState([]), () => undefined);
    expect(heard).toBe(0);
    chain.update(keysState(rotations.slice(0, 1)), (id) => held.get(id));
    expect(heard).toBe(1);
    expect(chain.newest).toEqual({ epoch: 1, token: deriveRelayToken(k1) });
    chain.update(keysState(rotations.slice(0, 1)), (id) => held.get(id));
    expect(heard).toBe(1);
    stop();
    chain.update(keysState(rotations), (id) => held.get(id));
    expect(heard).toBe(1);
    expect(chain.newest.epoch).toBe(2);
  });

  it('signs a hand-over the relay can check, bound to room, old token, epoch and new token', async () => {
    const identity = generateIdentity();
    const groupId = generateGroupId();
    const chain = new RelayTokenChain({ groupId, identity, groupKey });
    const from = deriveRelayToken(groupKey);
    const to = deriveRelayToken(k1);
    const message = await chain.handOverMessage(from, { epoch: 1, token: to });
    expect(message[0]).toBe(MESSAGE_RELAY_TOKEN);
    expect(message[1]).toBe(HANDOVER_REQUEST);
    const request = decodeHandOverPayload(message.subarray(2));
    expect(request).not.toBeNull();
    expect(request!.author).toBe(bytesToHex(identity.publicKey));
    expect(request!.toHash).toBe(relayTokenHash(to));
    expect(await verifyHandOver(groupId, relayTokenHash(from), request!)).toBe(true);
    // Any other room, old token, epoch or new token: the signature no longer fits.
    expect(await verifyHandOver(generateGroupId(), relayTokenHash(from), request!)).toBe(false);
    expect(await verifyHandOver(groupId, relayTokenHash(to), request!)).toBe(false);
    expect(await verifyHandOver(groupId, relayTokenHash(from), { ...request!, epoch: 2 })).toBe(false);
    expect(
      await verifyHandOver(groupId, relayTokenHash(from), { ...request!, toHash: relayTokenHash(from) }),
    ).toBe(false);
    // A payload of any other length, or epoch 0, is not a request.
    expect(decodeHandOverPayload(message.subarray(3))).toBeNull();
    const zero = message.slice(2);
    zero.set([0, 0, 0, 0], 0);
    expect(decodeHandOverPayload(zero)).toBeNull();
  });
});

describe('which token a transport presents', () => {
  const groupKey = generateGroupKey();
  const k1 = generateGroupKey();
  const t0 = deriveRelayToken(groupKey);
  const t1 = deriveRelayToken(k1);

  function chainWith(epoch1: boolean): RelayTokenChain {
    const chain = new RelayTokenChain({ groupId: generateGroupId(), identity: generateIdentity(), groupKey });
    if (epoch1) chain.update(keysState([rotation('r1', 1, true)]), () => k1);
    return chain;
  }

  it('presents the newest, falls back on refusal, and starts again from the newest when none is left', () => {
    const use = new RelayTokenUse(chainWith(true), t0);
    expect(use.current).toBe(t1);
    expect(use.refused()).toBe(true);
    expect(use.current).toBe(t0);
    expect(use.refused()).toBe(false);
    expect(use.current).toBe(t1);
  });

  it('tries a newer token that arrived while connected with an older one, when that one is refused', () => {
    const chain = chainWith(false);
    const use = new RelayTokenUse(chain, t0);
    use.opened(); // admitted with t0
    chain.update(keysState([rotation('r1', 1, true)]), () => k1); // a rotation arrives
    // The relay ends t0 (another device's hand-over, no grace): t1 is tried, not given up.
    expect(use.refused()).toBe(true);
    expect(use.current).toBe(t1);
    expect(use.refused()).toBe(false);
    expect(use.current).toBe(t1);
  });

  it('ends a round of refusals even though each refused socket opened first (no endless reconnects)', () => {
    const use = new RelayTokenUse(chainWith(true), t0);
    let attempts = 0;
    for (;;) {
      use.opened(); // the relay accepts the socket, then closes it 4401
      attempts++;
      if (!use.refused()) break;
      expect(attempts).toBeLessThan(5);
    }
    expect(attempts).toBe(2);
    expect(use.current).toBe(t1);
    // A full exchange on some later connection starts a new round.
    use.admitted();
    expect(use.refused()).toBe(true);
  });

  it('after its own hand-over, a refusal of the old token on the old socket moves straight to the new one', () => {
    const use = new RelayTokenUse(chainWith(true), t0);
    use.refused(); // t1 unknown to the relay yet
    use.opened();
    use.admitted(); // in with t0
    expect(use.handOverDue()).toEqual({ epoch: 1, token: t1 });
    use.handedOver(1);
    // The relay ends t0 (no grace) and closes the socket that came in with it.
    expect(use.refused(t0)).toBe(true);
    expect(use.current).toBe(t1);
  });

  it('asks for the newest once per connection when admitted with an older one, and uses it after ok', () => {
    const use = new RelayTokenUse(chainWith(true), t0);
    use.refused(); // the relay does not know t1 yet
    use.opened();
    expect(use.handOverDue()).toEqual({ epoch: 1, token: t1 });
    expect(use.handOverDue()).toBeNull(); // asked already on this connection
    use.handedOver(1);
    expect(use.current).toBe(t1);
    expect(use.handOverDue()).toBeNull();
  });

  it('asks again on the next connection when the relay refused, and never for epoch 0 or an invite token', () => {
    const chain = chainWith(true);
    const use = new RelayTokenUse(chain, t0);
    use.refused();
    use.opened();
    expect(use.handOverDue()).not.toBeNull();
    use.opened(); // refused reply, then a reconnect
    expect(use.handOverDue()).toEqual({ epoch: 1, token: t1 });
    // An ok for an epoch not asked on this connection changes nothing.
    const other = new RelayTokenUse(chain, t0);
    other.refused();
    other.handedOver(1);
    expect(other.current).toBe(t0);
    const plain = new RelayTokenUse(chainWith(false), t0);
    plain.opened();
    expect(plain.handOverDue()).toBeNull();
    const invite = new RelayTokenUse(
      new RelayTokenChain({
        groupId: generateGroupId(),
        identity: generateIdentity(),
        groupKey,
        inviteRelayToken: 'cd'.repeat(32),
      }),
      t0,
    );
    expect(invite.current).toBe('cd'.repeat(32));
    invite.refused();
    invite.opened();
    expect(invite.handOverDue()).toBeNull();
  });

  it('presents the one token it was given when there is no list', () => {
    const use = new RelayTokenUse(undefined, t0);
    expect(use.current).toBe(t0);
    expect(use.refused()).toBe(false);
    expect(use.handOverDue()).toBeNull();
  });
});
