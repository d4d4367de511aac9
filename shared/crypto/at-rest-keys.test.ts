import { describe, expect, it } from 'vitest';
import { isWalletError } from '../errors';
import { generateDeviceKey, openRecord, sealRecord } from './device-key';
import {
  PASSCODE_SCRYPT,
  type ScryptParams,
  unwrapWithPasscode,
  unwrapWithRecoveryKey,
  WRAPPED_KEY_LENGTH,
  wrapWithPasscode,
  wrapWithRecoveryKey,
} from './key-wrap';
import { formatRecoveryKey, generateRecoverySecret, parseRecoveryKey } from './recovery-key';

const text = (s: string) => new TextEncoder().encode(s);
/** Cheap scrypt for tests that are not about the cost (the parameters travel in the blob). */
const FAST: ScryptParams = { logN: 10, r: 8, p: 1 };

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return isWalletError(e) ? e.code : `not a WalletError: ${String(e)}`;
  }
  return undefined;
}

async function asyncCodeOf(f: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await f();
  } catch (e) {
    return isWalletError(e) ? e.code : `not a WalletError: ${String(e)}`;
  }
  return undefined;
}

describe('sealed records', () => {
  const key = generateDeviceKey();

  it('round-trips and uses a fresh nonce per write', () => {
    const a = sealRecord(key, 'groups', 'g1', text('Flat 3B'));
    const b = sealRecord(key, 'groups', 'g1', text('Flat 3B'));
    expect(a).not.toEqual(b);
    expect(new TextDecoder().decode(openRecord(key, 'groups', 'g1', a))).toBe('Flat 3B');
    expect(new TextDecoder().decode(openRecord(key, 'groups', 'g1', b))).toBe('Flat 3B');
  });

  it('refuses a value moved to another row or table, an edited byte, or another key', () => {
    const sealed = sealRecord(key, 'groups', 'g1', text('Flat 3B'));
    expect(codeOf(() => openRecord(key, 'groups', 'g2', sealed))).toBe('at_rest_tampered');
    expect(codeOf(() => openRecord(key, 'views', 'g1', sealed))).toBe('at_rest_tampered');
    expect(codeOf(() => openRecord(generateDeviceKey(), 'groups', 'g1', sealed))).toBe('at_rest_tampered');
    const edited = sealed.slice();
    edited[edited.length - 3]! ^= 1;
    expect(codeOf(() => openRecord(key, 'groups', 'g1', edited))).toBe('at_rest_tampered');
    expect(codeOf(() => openRecord(key, 'groups', 'g1', 'not bytes'))).toBe('at_rest_tampered');
    const future = sealed.slice();
    future[0] = 9;
    expect(codeOf(() => openRecord(key, 'groups', 'g1', future))).toBe('at_rest_unsupported');
  });

  it('tells compound keys apart', () => {
    const sealed = sealRecord(key, 'heads', ['g', 'a,b'], text('x'));
    expect(codeOf(() => openRecord(key, 'heads', ['g,a', 'b'], sealed))).toBe('at_rest_tampered');
    expect(codeOf(() => sealRecord(key, 't', new Date(), text('x')))).toBe('at_rest_key_unsupported');
  });
});

describe('passcode wrap', () => {
  const deviceKey = generateDeviceKey();

  it('unwraps with the passcode and refuses a wrong one', async () => {
    const blob = await wrapWithPasscode(deviceKey, 'correct horse', FAST);
    expect(blob).toHaveLength(WRAPPED_KEY_LENGTH);
    expect(await unwrapWithPasscode(blob, 'correct horse')).toEqual(deviceKey);
    expect(await asyncCodeOf(() => unwrapWithPasscode(blob, 'correct hors3'))).toBe('wrong_passcode');
  });

  it('opens the same passcode typed in another Unicode form (NFKC)', async () => {
    const blob = await wrapWithPasscode(deviceKey, 'ｐａｓｓｃｏｄｅ１', FAST);
    expect(await unwrapWithPasscode(blob, 'passcode1')).toEqual(deviceKey);
  });

  it('refuses a short passcode', async () => {
    expect(await asyncCodeOf(() => wrapWithPasscode(deviceKey, '12345', FAST))).toBe('passcode_too_short');
  });

  it('tells a damaged blob apart from a wrong passcode', async () => {
    const blob = await wrapWithPasscode(deviceKey, 'correct horse', FAST);
    for (const at of [0, 2, 10, 30, 60, WRAPPED_KEY_LENGTH - 1]) {
      const edited = blob.slice();
      edited[at]! ^= 1;
      expect(await asyncCodeOf(() => unwrapWithPasscode(edited, 'correct horse'))).toBe(
        'wrapped_key_tampered',
      );
    }
    expect(await asyncCodeOf(() => unwrapWithPasscode(blob.subarray(1), 'correct horse'))).toBe(
      'wrapped_key_tampered',
    );
  });

  it('binds its parameters: cheaper ones with a recomputed checksum do not open', async () => {
    const { sha256 } = await import('@noble/hashes/sha2.js');
    const blob = await wrapWithPasscode(deviceKey, 'correct horse', { logN: 11, r: 8, p: 1 });
    const downgraded = blob.slice();
    downgraded[2] = 10;
    downgraded.set(sha256(downgraded.subarray(0, 93)).subarray(0, 16), 93);
    expect(await asyncCodeOf(() => unwrapWithPasscode(downgraded, 'correct horse'))).toBe('wrong_passcode');
    const huge = downgraded.slice();
    huge[2] = 30;
    huge.set(sha256(huge.subarray(0, 93)).subarray(0, 16), 93);
    expect(await asyncCodeOf(() => unwrapWithPasscode(huge, 'correct horse'))).toBe('wrapped_key_invalid');
  });

  it('keeps the default parameters in the blob and opens with them', async () => {
    const blob = await wrapWithPasscode(deviceKey, 'correct horse');
    expect([...blob.subarray(0, 5)]).toEqual([
      1,
      1,
      PASSCODE_SCRYPT.logN,
      PASSCODE_SCRYPT.r,
      PASSCODE_SCRYPT.p,
    ]);
    expect(await unwrapWithPasscode(blob, 'correct horse')).toEqual(deviceKey);
  });
});

describe('recovery key', () => {
  const deviceKey = generateDeviceKey();

  it('is 8 groups of 4 Crockford base32 characters and reads back leniently', () => {
    const secret = generateRecoverySecret();
    const shown = formatRecoveryKey(secret);
    expect(shown).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(parseRecoveryKey(shown)).toEqual(secret);
    const typed = ` ${shown.toLowerCase().replace(/0/g, 'o').replace(/1/g, 'l').replace(/-/g, ' ')} `;
    expect(parseRecoveryKey(typed)).toEqual(secret);
  });

  it('refuses typos, wrong lengths and foreign characters', () => {
    const shown = formatRecoveryKey(generateRecoverySecret());
    const i = shown.search(/[0-9A-Z]/);
    const typo = shown.slice(0, i) + (shown[i] === 'A' ? 'B' : 'A') + shown.slice(i + 1);
    expect(codeOf(() => parseRecoveryKey(typo))).toBe('recovery_key_invalid');
    expect(codeOf(() => parseRecoveryKey(shown.slice(0, -1)))).toBe('recovery_key_invalid');
    expect(codeOf(() => parseRecoveryKey(`${shown.slice(0, -1)}U`))).toBe('recovery_key_invalid');
  });

  it('unwraps the device key; another recovery key does not', () => {
    const secret = generateRecoverySecret();
    const blob = wrapWithRecoveryKey(deviceKey, secret);
    expect(unwrapWithRecoveryKey(blob, parseRecoveryKey(formatRecoveryKey(secret)))).toEqual(deviceKey);
    expect(codeOf(() => unwrapWithRecoveryKey(blob, generateRecoverySecret()))).toBe('wrong_recovery_key');
    expect(codeOf(() => unwrapWithRecoveryKey(blob.slice(), secret.slice(1)))).toBe('recovery_key_invalid');
  });

  it('is not accepted where a passcode wrap is expected', async () => {
    const blob = wrapWithRecoveryKey(deviceKey, generateRecoverySecret());
    expect(await asyncCodeOf(() => unwrapWithPasscode(blob, 'correct horse'))).toBe('wrapped_key_invalid');
  });
});
