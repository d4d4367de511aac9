import { describe, expect, it } from 'vitest';
import vectors from '../../docs/vectors/devices.json';
import { deriveRelayToken } from '../crypto/group-key';
import { bytesToHex, hexToBytes } from '../crypto/hash';
import { formatDeviceLink, LINK_TTL_MS, linkRoom, newDeviceLink, parseDeviceLink } from './link-code';

const v = vectors.linkRoom;

describe('device links', () => {
  it('derive the link room of the vectors', () => {
    const room = linkRoom(hexToBytes(v.secret));
    expect(room.groupId).toBe(v.roomId);
    expect(bytesToHex(room.groupKey)).toBe(v.roomKey);
    expect(deriveRelayToken(room.groupKey)).toBe(v.relayToken);
  });

  it('format and parse as the vectors say, secret in the fragment', () => {
    const link = { relay: v.relay, secret: hexToBytes(v.secret), expires: v.expires };
    expect(formatDeviceLink(link)).toBe(v.text);
    const parsed = parseDeviceLink(`  ${v.text}\n`, v.expires);
    expect(parsed.ok && { ...parsed.value, secret: bytesToHex(parsed.value.secret) }).toEqual({
      relay: v.relay,
      secret: v.secret,
      expires: v.expires,
    });
  });

  it('are fresh each time and expire after LINK_TTL_MS', () => {
    const a = newDeviceLink('ws://127.0.0.1:1', 1000);
    const b = newDeviceLink('ws://127.0.0.1:1', 1000);
    expect(bytesToHex(a.secret)).not.toBe(bytesToHex(b.secret));
    expect(a.expires).toBe(1000 + LINK_TTL_MS);
    const text = formatDeviceLink(a);
    expect(parseDeviceLink(text, a.expires).ok).toBe(true);
    const late = parseDeviceLink(text, a.expires + 1);
    expect(!late.ok && late.error.code).toBe('link_expired');
  });

  it('refuse damaged links with a typed error', () => {
    const secret = v.secret;
    const cases: [string, string][] = [
      ['', 'link_format'],
      ['wallet://join?relay=ws%3A%2F%2Fa&group=00#key=x', 'link_format'],
      [`tally://link?relay=ws%3A%2F%2Fa&expires=5?secret=${secret}`, 'link_format'],
      [`tally://link?relay=http%3A%2F%2Fa&expires=5#secret=${secret}`, 'link_relay'],
      [`tally://link?relay=ws%3A%2F%2Fa&relay=ws%3A%2F%2Fb&expires=5#secret=${secret}`, 'link_relay'],
      [`tally://link?relay=ws%3A%2F%2Fa&expires=soon#secret=${secret}`, 'link_format'],
      [`tally://link?relay=ws%3A%2F%2Fa&expires=5#secret=${secret.slice(2)}`, 'link_secret'],
      [`tally://link?relay=ws%3A%2F%2Fa&expires=5#secret=${'AB'.repeat(32)}`, 'link_format'],
    ];
    for (const [text, code] of cases) {
      const r = parseDeviceLink(text, 0);
      expect([text, !r.ok && r.error.code]).toEqual([text, code]);
    }
  });
});
