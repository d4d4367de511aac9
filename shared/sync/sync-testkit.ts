/**
 * Helpers for tests of the sync layer: replicas (GroupSync + MemoryStore) of one group,
 * wired through a MemoryNetwork, and a ready-made group where everyone has joined.
 */
import { x25519PublicHex } from '../crypto/x25519';
import type { DeviceCertificate } from '../crypto/device-cert';
import { generateGroupId, generateGroupKey } from '../crypto/group-key';
import { generateIdentity, type Identity } from '../crypto/identity';
import type { GroupId } from '../ledger/types';
import { GroupSync, type GroupSyncOptions } from './group-sync';
import type { MemoryNetwork } from './memory-network';
import { MemoryStore } from './memory-store';
import type { Store } from './store';

export interface GroupSecrets {
  readonly groupId: GroupId;
  readonly groupKey: Uint8Array;
}

export function newGroupSecrets(): GroupSecrets {
  return { groupId: generateGroupId(), groupKey: generateGroupKey() };
}

export interface Replica {
  readonly name: string;
  readonly identity: Identity;
  /** On a linked device: its person's certificate for `identity` (protocol §16). */
  readonly certificate?: DeviceCertificate;
  readonly store: Store;
  sync: GroupSync;
}

export async function openReplica(
  secrets: GroupSecrets,
  name: string,
  options: Partial<
    Pick<
      GroupSyncOptions,
      | 'identity'
      | 'certificate'
      | 'grantedKeys'
      | 'store'
      | 'now'
      | 'foldDelayMs'
      | 'persistDelayMs'
      | 'maxPending'
      | 'scheduleDocLoad'
      | 'preparer'
    >
  > = {},
): Promise<Replica> {
  const identity = options.identity ?? generateIdentity();
  const store = options.store ?? new MemoryStore();
  const sync = await GroupSync.open({
    ...secrets,
    identity,
    ...(options.certificate ? { certificate: options.certificate } : {}),
    ...(options.grantedKeys ? { grantedKeys: options.grantedKeys } : {}),
    store,
    memberName: name,
    foldDelayMs: options.foldDelayMs ?? 0,
    persistDelayMs: options.persistDelayMs ?? 10_000,
    ...(options.now ? { now: options.now } : {}),
    ...(options.maxPending ? { maxPending: options.maxPending } : {}),
    ...(options.preparer ? { preparer: options.preparer } : {}),
    // Loading the document at once, not on a timer, keeps seeded runs replayable: what a
    // replica sends then never depends on when a timer fired.
    scheduleDocLoad: options.scheduleDocLoad ?? ((load) => load()),
  });
  return {
    name,
    identity,
    store,
    sync,
    ...(options.certificate ? { certificate: options.certificate } : {}),
  };
}

/** Delivers everything in flight and waits until every replica has processed it. */
export async function settle(network: MemoryNetwork, replicas: readonly Replica[]): Promise<void> {
  for (let round = 0; round < 1000; round++) {
    network.deliverAll();
    await Promise.all(replicas.map((r) => r.sync.whenIdle()));
    if (network.queued === 0) return;
  }
  throw new Error('the network never settled');
}

/**
 * A group of `names.length` replicas, all connected to `network`: the first creates the
 * group, the others join once they have seen it. Everything is delivered before returning.
 */
export async function createGroup(
  network: MemoryNetwork,
  names: readonly string[],
  secrets: GroupSecrets = newGroupSecrets(),
  /** `x25519`: every join publishes the member's X25519 key, as the app does (key rotation needs it). */
  options: { readonly x25519?: boolean } = {},
): Promise<{ secrets: GroupSecrets; replicas: Replica[] }> {
  const x25519Of = (r: Replica) => (options.x25519 ? { x25519: x25519PublicHex(r.identity) } : {});
  const replicas: Replica[] = [];
  for (const name of names) replicas.push(await openReplica(secrets, name));
  for (const r of replicas) r.sync.connect(network.transport);
  const [owner, ...others] = replicas;
  if (!owner) throw new Error('a group needs at least one member');
  await owner.sync.append({
    type: 'group.created',
    name: 'Flat 3B',
    currency: 'CNY',
    memberName: owner.name,
    ...x25519Of(owner),
  });
  await settle(network, replicas);
  for (const r of others) await r.sync.append({ type: 'member.joined', name: r.name, ...x25519Of(r) });
  await settle(network, replicas);
  return { secrets, replicas };
}

export async function closeAll(replicas: readonly Replica[]): Promise<void> {
  await Promise.all(replicas.map((r) => r.sync.close()));
}
