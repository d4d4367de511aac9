import { describe, expect, it, vi } from 'vitest';
import {
  findInviteInArgv,
  InviteDispatcher,
  MAX_INVITE_LENGTH,
  parseInviteLink,
  registerInviteProtocol,
} from './deep-link';

const VALID = 'wallet://join?relay=wss%3A%2F%2Frelay.example.org&g=3f9a0c1d2e#k=ZmFrZS1rZXk';

describe('parseInviteLink', () => {
  it('accepts a well-formed invite and keeps query and fragment', () => {
    expect(parseInviteLink(VALID)).toEqual({ ok: true, value: VALID });
  });

  it('accepts the app scheme tally:// and hands it on in the form the renderer reads', () => {
    expect(parseInviteLink('tally://join?g=1&r=2#k=3')).toEqual({
      ok: true,
      value: 'wallet://join?g=1&r=2#k=3',
    });
    expect(parseInviteLink('TALLY://join/?g=1#k=2')).toEqual({ ok: true, value: 'wallet://join?g=1#k=2' });
    expect(parseInviteLink('tally://pay?g=1').ok).toBe(false);
  });

  it('accepts a device link (tally://link only) and hands it on as tally://link', () => {
    const link = `tally://link?relay=wss%3A%2F%2Frelay.example.org&expires=1800000000000#secret=${'a'.repeat(64)}`;
    expect(parseInviteLink(link)).toEqual({ ok: true, value: link });
    expect(parseInviteLink(link.replace('tally://link?', 'TALLY://link/?'))).toEqual({
      ok: true,
      value: link,
    });
    expect(parseInviteLink(link.replace('tally:', 'wallet:')).ok).toBe(false);
    expect(findInviteInArgv(['--flag', link])).toBe(link);
  });

  it('normalises the trailing slash some launchers add', () => {
    const r = parseInviteLink('wallet://join/?g=1#k=2');
    expect(r).toEqual({ ok: true, value: 'wallet://join?g=1#k=2' });
  });

  it.each([
    ['not a string', 42],
    ['empty', ''],
    ['other scheme', 'https://join?g=1'],
    ['lookalike scheme', 'wallets://join?g=1'],
    ['another lookalike', 'tally-app://join?g=1'],
    ['unknown action', 'wallet://pay?g=1'],
    ['credentials', 'wallet://user:pw@join?g=1'],
    ['port', 'wallet://join:80?g=1'],
    ['extra path', 'wallet://join/../../etc?g=1'],
    ['no parameters', 'wallet://join'],
    ['space', 'wallet://join?g=1 2'],
    ['non-ASCII', 'wallet://join?g=组'],
    ['control character', 'wallet://join?g=1\n'],
    ['bad parameter name', 'wallet://join?%3Cscript%3E=1'],
    ['repeated parameter', 'wallet://join?g=1&g=2'],
    ['too long', `wallet://join?g=${'a'.repeat(MAX_INVITE_LENGTH)}`],
  ])('rejects %s with DEEPLINK_INVALID', (_label, input) => {
    const r = parseInviteLink(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('DEEPLINK_INVALID');
  });
});

describe('findInviteInArgv', () => {
  it('finds the link among Chromium flags and skips invalid links', () => {
    const argv = ['/opt/Tally/tally', '--no-sandbox', 'wallet://bogus', VALID, '--flag'];
    expect(findInviteInArgv(argv)).toBe(VALID);
  });
  it('finds tally:// links too', () => {
    expect(findInviteInArgv(['/opt/Tally/tally', 'tally://join?g=1#k=2'])).toBe('wallet://join?g=1#k=2');
  });
  it('returns null when no argument is an invite', () => {
    expect(findInviteInArgv(['/usr/bin/tally', '--flag', 'https://example.org'])).toBeNull();
  });
});

describe('registerInviteProtocol', () => {
  it('registers plainly when packaged', () => {
    const app = { setAsDefaultProtocolClient: vi.fn(() => true) };
    expect(registerInviteProtocol(app, { defaultApp: false, argv: ['/Tally'], execPath: '/Tally' })).toBe(
      true,
    );
    expect(app.setAsDefaultProtocolClient.mock.calls).toEqual([['tally'], ['wallet']]);
  });
  it('passes the app path when run as `electron .`', () => {
    const app = { setAsDefaultProtocolClient: vi.fn(() => true) };
    registerInviteProtocol(app, {
      defaultApp: true,
      argv: ['/e/electron', '/src/app'],
      execPath: '/e/electron',
    });
    expect(app.setAsDefaultProtocolClient).toHaveBeenCalledWith('tally', '/e/electron', ['/src/app']);
    expect(app.setAsDefaultProtocolClient).toHaveBeenCalledWith('wallet', '/e/electron', ['/src/app']);
  });
  it('reports a scheme the OS refused', () => {
    const app = { setAsDefaultProtocolClient: vi.fn((scheme: string) => scheme === 'tally') };
    expect(registerInviteProtocol(app, { defaultApp: false, argv: [], execPath: '/Tally' })).toBe(false);
  });
});

describe('InviteDispatcher', () => {
  it('queues links until a target exists, then delivers them in order', () => {
    const dispatcher = new InviteDispatcher('invite');
    dispatcher.deliver('wallet://join?a=1');
    dispatcher.deliver('wallet://join?a=2');
    const target = { send: vi.fn() };
    dispatcher.setTarget(target);
    expect(target.send.mock.calls).toEqual([
      ['invite', 'wallet://join?a=1'],
      ['invite', 'wallet://join?a=2'],
    ]);
    dispatcher.deliver('wallet://join?a=3');
    expect(target.send).toHaveBeenLastCalledWith('invite', 'wallet://join?a=3');
  });

  it('queues again after the target goes away and bounds the queue', () => {
    const dispatcher = new InviteDispatcher('invite');
    dispatcher.setTarget(null);
    for (let i = 0; i < 20; i++) dispatcher.deliver(`wallet://join?a=${i}`);
    const target = { send: vi.fn() };
    dispatcher.setTarget(target);
    expect(target.send).toHaveBeenCalledTimes(8);
  });
});
