/**
 * Device certificates (docs/protocol.md §16): a person's identity key vouches for one device key.
 *
 * A person is one Ed25519 identity (their member id); each further device signs entries with a
 * key of its own, so it keeps its own hash chain and never forks the person's. The certificate is
 * the person's signature over
 *
 *   "tally/device/v1\0" ‖ device public key (32) ‖ created (u64 BE, ms) ‖ name (UTF-8, optional)
 *
 * The label keeps the signature from ever being replayed as an entry signature (whose label is
 * "tally/entry/v1\0") or vice versa. The name comes last so its absence needs no length prefix.
 *
 * Verification is synchronous (the fold is) and applies the same acceptance rule as entry
 * signatures (ed25519-policy.ts), so every device agrees on every certificate.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { WalletError } from '../errors';
import type { MemberId } from '../money/types';
import { hasTorsionFreeR, isAcceptablePublicKey } from './ed25519-policy';
import { bytesToHex, hexToBytes } from './hash';
import { generateIdentity, type Identity } from './identity';

export const DEVICE_CERT_LABEL = new TextEncoder().encode('tally/device/v1\0');
const MAX_TIME = Number.MAX_SAFE_INTEGER;
const HEX64 = /^[0-9a-f]{64}$/;
const HEX128 = /^[0-9a-f]{128}$/;

/** What a `device.linked` event carries (hex keys, as member ids are). */
export interface DeviceCertificate {
  /** The person: their identity public key, i.e. their member id. */
  readonly person: MemberId;
  /** The device's own Ed25519 public key: the author key of its entries. */
  readonly device: string;
  /** When the person signed it (ms since epoch; informational, part of the signed bytes). */
  readonly created: number;
  /** What the person called the device ("Laptop 2"). */
  readonly name?: string | undefined;
  /** Ed25519 signature by `person` over deviceCertMessage (128 hex). */
  readonly signature: string;
}

/** The exact bytes the person signs. @throws WalletError `invalid_certificate` on bad fields. */
export function deviceCertMessage(device: string, created: number, name?: string): Uint8Array {
  if (!HEX64.test(device)) throw new WalletError('invalid_certificate', 'a device key is 64 lower-case hex');
  if (!Number.isSafeInteger(created) || created < 0 || created > MAX_TIME) {
    throw new WalletError('invalid_certificate', 'a certificate time is an integer between 0 and 2^53 − 1');
  }
  const nameBytes = name === undefined ? new Uint8Array(0) : new TextEncoder().encode(name);
  const out = new Uint8Array(DEVICE_CERT_LABEL.length + 32 + 8 + nameBytes.length);
  out.set(DEVICE_CERT_LABEL);
  let at = DEVICE_CERT_LABEL.length;
  out.set(hexToBytes(device), at);
  at += 32;
  const view = new DataView(out.buffer);
  view.setUint32(at, Math.floor(created / 0x1_0000_0000));
  view.setUint32(at + 4, created >>> 0);
  out.set(nameBytes, at + 8);
  return out;
}

/** The person certifies `device` (hex public key). Ed25519 is deterministic: same inputs, same bytes. */
export function signDeviceCertificate(
  person: Identity,
  device: string,
  created: number,
  name?: string,
): DeviceCertificate {
  // Event names are trimmed by the schema; sign what the event will carry.
  name = name?.trim();
  if (name !== undefined && (name.length === 0 || name.length > 80)) {
    throw new WalletError('invalid_certificate', 'a device name is 1 to 80 characters');
  }
  const message = deviceCertMessage(device, created, name);
  const signature = bytesToHex(ed25519.sign(message, person.secretKey));
  const cert: DeviceCertificate = { person: bytesToHex(person.publicKey), device, created, signature };
  return name === undefined ? cert : { ...cert, name };
}

// A fold re-verifies the same few certificates on every refold; remember the verdicts.
const MAX_CACHED = 256;
const verdicts = new Map<string, boolean>();

/** True when `cert.signature` is the person's valid signature over the certificate. Never throws. */
export function verifyDeviceCertificate(cert: DeviceCertificate): boolean {
  const key = `${cert.person}|${cert.device}|${cert.created}|${cert.name ?? ''}|${cert.name === undefined}|${cert.signature}`;
  const cached = verdicts.get(key);
  if (cached !== undefined) return cached;
  const verdict = check(cert);
  if (verdicts.size >= MAX_CACHED) {
    const oldest = verdicts.keys().next().value;
    if (oldest !== undefined) verdicts.delete(oldest);
  }
  verdicts.set(key, verdict);
  return verdict;
}

function check(cert: DeviceCertificate): boolean {
  if (!HEX64.test(cert.person) || !HEX64.test(cert.device) || !HEX128.test(cert.signature)) return false;
  if (cert.person === cert.device) return false;
  const person = hexToBytes(cert.person);
  const signature = hexToBytes(cert.signature);
  if (!isAcceptablePublicKey(person, cert.person) || !isAcceptablePublicKey(hexToBytes(cert.device))) {
    return false;
  }
  try {
    const message = deviceCertMessage(cert.device, cert.created, cert.name);
    return ed25519.verify(signature, message, person, { zip215: false }) && hasTorsionFreeR(signature);
  } catch {
    return false;
  }
}

/**
 * A new device key for `person`, certified: what a restored identity must write with (protocol
 * §16, "Restore is link this device"), never the identity key, which another device may still
 * be writing with. The caller stores the device key and the certificate, not the identity secret.
 */
export function certifyNewDevice(
  person: Identity,
  created: number,
  name?: string,
): { device: Identity; certificate: DeviceCertificate } {
  const device = generateIdentity();
  return { device, certificate: signDeviceCertificate(person, bytesToHex(device.publicKey), created, name) };
}
