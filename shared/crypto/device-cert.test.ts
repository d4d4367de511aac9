import { describe, expect, it } from 'vitest';
import vectors from '../../docs/vectors/devices.json';
import { isWalletError } from '../errors';
import { deviceCertMessage, signDeviceCertificate, verifyDeviceCertificate } from './device-cert';
import { bytesToHex, hexToBytes } from './hash';
import { importSecretKey, memberIdOf } from './identity';
import { webCryptoBackend, webCryptoEd25519Works } from './sign';

const person = importSecretKey(hexToBytes(vectors.personSeed));
const device = importSecretKey(hexToBytes(vectors.deviceSeed));

describe('device certificate vectors (docs/vectors/devices.json)', () => {
  it('derives the vector keys from the seeds', () => {
    expect(memberIdOf(person.publicKey)).toBe(vectors.person);
    expect(memberIdOf(device.publicKey)).toBe(vectors.device);
  });

  for (const v of vectors.valid) {
    it(`signs and verifies “${v.name ?? '(no name)'}” at ${v.created}`, async () => {
      expect(bytesToHex(deviceCertMessage(v.device, v.created, v.name))).toBe(v.message);
      const cert = signDeviceCertificate(person, v.device, v.created, v.name);
      expect(cert.signature).toBe(v.signature);
      expect(verifyDeviceCertificate(v)).toBe(true);
      // A second, independent implementation (OpenSSL through WebCrypto) agrees, where available.
      if (await webCryptoEd25519Works()) {
        const ok = await webCryptoBackend.verify(
          hexToBytes(v.person),
          hexToBytes(v.message),
          hexToBytes(v.signature),
        );
        expect(ok).toBe(true);
      }
    });
  }

  for (const v of vectors.invalid) {
    it(`refuses a certificate whose ${v.why}`, () => {
      expect(verifyDeviceCertificate(v)).toBe(false);
    });
  }
});

describe('device certificates', () => {
  it('trims the name as the event schema will, and refuses an empty or long one', () => {
    const cert = signDeviceCertificate(person, vectors.device, 1, '  Laptop  ');
    expect(cert.name).toBe('Laptop');
    expect(verifyDeviceCertificate(cert)).toBe(true);
    for (const name of ['   ', 'x'.repeat(81)]) {
      let caught: unknown;
      try {
        signDeviceCertificate(person, vectors.device, 1, name);
      } catch (e) {
        caught = e;
      }
      expect(isWalletError(caught) && caught.code).toBe('invalid_certificate');
    }
  });

  it('refuses malformed fields with a typed error when building the message', () => {
    for (const [dev, at] of [
      ['AB'.repeat(32), 1],
      [vectors.device, -1],
      [vectors.device, 1.5],
      [vectors.device, 2 ** 53],
    ] as const) {
      expect(() => deviceCertMessage(dev, at)).toThrow(
        expect.objectContaining({ code: 'invalid_certificate' }),
      );
    }
  });

  it('never throws when verifying junk', () => {
    const base = vectors.valid[0]!;
    const junk = [
      { ...base, created: -1 },
      { ...base, created: Number.NaN },
      { ...base, device: 'zz' },
      { ...base, signature: '' },
      { ...base, person: base.device },
    ];
    for (const cert of junk) expect(verifyDeviceCertificate(cert)).toBe(false);
  });
});
