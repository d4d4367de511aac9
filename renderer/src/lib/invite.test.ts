import { describe, expect, it } from 'vitest';
import { formatAppInvite, formatWebInvite, type Invite, parseInvite } from './invite';

function randomKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Buffer.from(bytes).toString('base64url');
}

const invite: Invite = {
  relay: 'wss://relay.example.com:8443/sync',
  groupId: '0123456789abcdef0123456789abcdef',
  key: randomKey(),
};

describe('invite links', () => {
  it('round-trips the app link and keeps the key in the fragment only', () => {
    const link = formatAppInvite(invite);
    expect(link.startsWith('tally://join?')).toBe(true);
    const [beforeHash, fragment] = link.split('#');
    expect(beforeHash).not.toContain(invite.key);
    expect(fragment).toBe(`key=${invite.key}`);
    expect(parseInvite(link)).toEqual({ ok: true, value: invite });
  });

  it('still reads links of the earlier wallet:// scheme, with the same rules', () => {
    const old = formatAppInvite(invite).replace(/^tally:/, 'wallet:');
    expect(parseInvite(old)).toEqual({ ok: true, value: invite });
    expect(parseInvite(old.replace('#key=', '&key='))).toMatchObject({
      ok: false,
      error: { code: 'invite_key_in_query' },
    });
    expect(parseInvite('mailto://join?x#key=y')).toMatchObject({
      ok: false,
      error: { code: 'invite_format' },
    });
  });

  it('round-trips the web link, everything after the hash', () => {
    const link = formatWebInvite(invite, 'https://tally.example.com/app/#/groups');
    expect(link.startsWith('https://tally.example.com/app/#/join?')).toBe(true);
    expect(link.split('#')[0]).not.toContain(invite.key);
    expect(parseInvite(link)).toEqual({ ok: true, value: invite });
  });

  it('carries the relay token of a rotated group in the fragment, and refuses a damaged or misplaced one', () => {
    const rotated: Invite = { ...invite, relayToken: 'ab'.repeat(32) };
    const app = formatAppInvite(rotated);
    const [beforeHash, fragment] = app.split('#');
    expect(beforeHash).not.toContain('ab'.repeat(32));
    expect(fragment).toBe(`key=${invite.key}&rt=${'ab'.repeat(32)}`);
    expect(parseInvite(app)).toEqual({ ok: true, value: rotated });
    const web = formatWebInvite(rotated, 'https://tally.example.com/app/');
    expect(parseInvite(web)).toEqual({ ok: true, value: rotated });
    // Without one (epoch 0), the link is exactly as before.
    expect(formatAppInvite(invite)).not.toContain('rt=');
    for (const bad of ['ab'.repeat(31), 'AB'.repeat(32), `${'ab'.repeat(32)}0`]) {
      expect(parseInvite(app.replace(`rt=${'ab'.repeat(32)}`, `rt=${bad}`))).toMatchObject({
        ok: false,
        error: { code: 'invite_relay_token' },
      });
    }
    expect(parseInvite(`${app}&rt=${'cd'.repeat(32)}`)).toMatchObject({
      ok: false,
      error: { code: 'invite_duplicate_param' },
    });
    const inQuery = `tally://join?relay=${encodeURIComponent(invite.relay)}&group=${invite.groupId}&rt=${'ab'.repeat(32)}#key=${invite.key}`;
    expect(parseInvite(inQuery)).toMatchObject({ ok: false, error: { code: 'invite_key_in_query' } });
  });

  it('round-trips many random keys (every canonical key is accepted)', () => {
    for (let i = 0; i < 200; i++) {
      const inv = { ...invite, key: randomKey() };
      expect(parseInvite(formatAppInvite(inv))).toEqual({ ok: true, value: inv });
    }
  });

  it('accepts surrounding whitespace from copy/paste', () => {
    expect(parseInvite(`  ${formatAppInvite(invite)}\n`).ok).toBe(true);
  });

  const cases: Array<[string, string, string]> = [
    ['empty', '   ', 'invite_empty'],
    ['garbage', 'hello world', 'invite_format'],
    ['not a url', 'abc', 'invite_format'],
    ['other scheme', `ftp://x/#/join?group=${invite.groupId}`, 'invite_format'],
    [
      'key in the query (app)',
      `wallet://join?relay=wss%3A%2F%2Fr&group=${invite.groupId}&key=${invite.key}`,
      'invite_key_in_query',
    ],
    [
      'key in the query (web)',
      `https://a.example/?key=${invite.key}#/join?relay=wss%3A%2F%2Fr&group=${invite.groupId}`,
      'invite_key_in_query',
    ],
    ['http relay', formatAppInvite({ ...invite, relay: 'http://relay.example.com' }), 'invite_relay'],
    ['missing relay', `wallet://join?group=${invite.groupId}#key=${invite.key}`, 'invite_relay'],
    ['short group id', formatAppInvite({ ...invite, groupId: 'abcd' }), 'invite_group'],
    [
      'upper-case group id',
      formatAppInvite({ ...invite, groupId: invite.groupId.toUpperCase() }),
      'invite_group',
    ],
    ['short key', formatAppInvite({ ...invite, key: invite.key.slice(0, 40) }), 'invite_key'],
    ['padded key', formatAppInvite({ ...invite, key: `${invite.key}=` }), 'invite_key'],
    [
      'non-canonical last char',
      formatAppInvite({ ...invite, key: `${invite.key.slice(0, 42)}B` }),
      'invite_key',
    ],
    [
      'repeated group',
      `wallet://join?relay=wss%3A%2F%2Fr&group=${invite.groupId}&group=${invite.groupId}#key=${invite.key}`,
      'invite_duplicate_param',
    ],
    ['web link without join route', 'https://tally.example.com/#/groups', 'invite_format'],
  ];
  for (const [name, link, code] of cases) {
    it(`rejects ${name} with ${code}`, () => {
      const r = parseInvite(link);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe(code);
    });
  }
});

describe('base64url', () => {
  it('matches Node’s encoder and round-trips every length', async () => {
    const { fromBase64Url, toBase64Url } = await import('./base64url');
    for (let n = 0; n < 40; n++) {
      const bytes = crypto.getRandomValues(new Uint8Array(n));
      const text = toBase64Url(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64url'));
      expect(fromBase64Url(text)).toEqual(bytes);
    }
    expect(() => fromBase64Url('ab+c')).toThrow();
  });
});
