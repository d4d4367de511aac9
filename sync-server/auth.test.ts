import { describe, expect, it } from 'vitest';
import { hashToken, parseUpgradeUrl, tokenHashesEqual } from './auth';

const room = '0123456789abcdef0123456789abcdef';
const token = 'ab'.repeat(32);

describe('parseUpgradeUrl', () => {
  it('accepts /<32 hex>?token=<64 hex>', () => {
    expect(parseUpgradeUrl(`/${room}?token=${token}`)).toEqual({ ok: true, roomId: room, token });
  });

  it.each([
    '/',
    `/${room.slice(1)}`,
    `/${room}0`,
    `/${room.toUpperCase()}`,
    `/${room}/`,
    `/a/${room}`,
    `/${room.slice(0, 31)}g`,
    `/%2F${room}`,
  ])('refuses the path %s with 400', (path) => {
    expect(parseUpgradeUrl(`${path}?token=${token}`)).toEqual({ ok: false, status: 400, reason: 'bad_path' });
  });

  it.each([
    ['no token', `/${room}`],
    ['empty token', `/${room}?token=`],
    ['short token', `/${room}?token=${token.slice(2)}`],
    ['upper-case token', `/${room}?token=${token.toUpperCase()}`],
    ['non-hex token', `/${room}?token=${'zz'.repeat(32)}`],
    ['two tokens', `/${room}?token=${token}&token=${token}`],
  ])('refuses %s with 401', (_what, url) => {
    expect(parseUpgradeUrl(url)).toEqual({ ok: false, status: 401, reason: 'unauthorized' });
  });

  it('ignores other query parameters', () => {
    expect(parseUpgradeUrl(`/${room}?v=1&token=${token}`).ok).toBe(true);
  });
});

describe('token hashes', () => {
  it('hash the token bytes with SHA-256 and compare them exactly', () => {
    const a = hashToken(token);
    // SHA-256 of 32 bytes 0xab, computed independently: printf '\xab%.0s' $(seq 32) | sha256sum
    expect(Buffer.from(a).toString('hex')).toBe(
      '9a2db2e23f1504cd056606553ac049c5e718e8f9ce9233876df1a7a1821af885',
    );
    expect(a.byteLength).toBe(32);
    expect(tokenHashesEqual(a, hashToken(token))).toBe(true);
    expect(tokenHashesEqual(a, hashToken('cd'.repeat(32)))).toBe(false);
    expect(tokenHashesEqual(a, a.subarray(0, 31))).toBe(false);
  });
});
