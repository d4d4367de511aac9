/**
 * Real keys for device tests: a device certificate is checked for real by the fold, so the person
 * must be an Ed25519 key pair, not a fake member id.
 */
import { signDeviceCertificate } from '../crypto/device-cert';
import { type Identity, importSecretKey, memberIdOf } from '../crypto/identity';
import type { MemberId } from '../money/types';
import type { EventInput } from './fold-testkit';

export interface TestKey {
  readonly identity: Identity;
  readonly id: MemberId;
}

/** A deterministic key pair from one byte (distinct bytes, distinct keys). */
export function testKey(byte: number): TestKey {
  const identity = importSecretKey(new Uint8Array(32).fill(byte));
  return { identity, id: memberIdOf(identity.publicKey) };
}

/** The `device.linked` event by which `person` links `device`. */
export function linkEvent(
  person: TestKey,
  device: TestKey,
  name?: string,
  created = 1_700_000_000_000,
): Extract<EventInput, { type: 'device.linked' }> {
  return { type: 'device.linked', ...signDeviceCertificate(person.identity, device.id, created, name) };
}
