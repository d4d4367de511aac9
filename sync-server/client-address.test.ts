/**
 * Per-address limits behind a load balancer: only a trusted proxy's X-Forwarded-For is believed,
 * read right to left, and a client cannot choose the address it is charged to.
 */
import { describe, expect, it } from 'vitest';
import { isWalletError } from '../shared/errors';
import { clientAddress, NO_TRUSTED_PROXIES, parseTrustedProxies, plainAddress } from './client-address';
import { relaySettingsFromEnv } from './config';
import { relayTestKit } from './relay-test-kit';
import { openRaw, randomRoomId, randomToken } from './test-support';

const kit = relayTestKit('tally-client-address');

describe('clientAddress', () => {
  const proxies = parseTrustedProxies('10.0.0.0/8, 192.168.1.7, fd00::/8');

  it('is the socket peer unless that peer is a trusted proxy', () => {
    expect(clientAddress('203.0.113.9', '198.51.100.1', proxies)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9', '198.51.100.1', NO_TRUSTED_PROXIES)).toBe('203.0.113.9');
    expect(clientAddress('10.1.2.3', '198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(clientAddress('::ffff:10.1.2.3', '198.51.100.1', proxies)).toBe('198.51.100.1');
    expect(clientAddress('fd12::1', '2001:db8::5', proxies)).toBe('2001:db8::5');
    expect(clientAddress(undefined, '198.51.100.1', proxies)).toBe('unknown');
  });

  it('reads the header right to left past trusted hops; what the client wrote earlier is ignored', () => {
    // The client claims 1.1.1.1; our proxy appended the real address last.
    expect(clientAddress('10.0.0.2', '1.1.1.1, 198.51.100.1', proxies)).toBe('198.51.100.1');
    // Two trusted hops (edge 192.168.1.7, then 10.0.0.2).
    expect(clientAddress('10.0.0.2', '198.51.100.1, 192.168.1.7', proxies)).toBe('198.51.100.1');
    expect(clientAddress('10.0.0.2', ['1.1.1.1', '198.51.100.4'], proxies)).toBe('198.51.100.4');
  });

  it("keeps the proxy's own address when the header is missing, malformed or all trusted", () => {
    expect(clientAddress('10.0.0.2', undefined, proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', 'bogus', proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '198.51.100.1, not-an-ip', proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '10.0.0.3, 10.0.0.4', proxies)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '', proxies)).toBe('10.0.0.2');
  });

  it('parses addresses and CIDR blocks, and refuses anything else with a typed error', () => {
    expect(plainAddress('::ffff:127.0.0.1')).toBe('127.0.0.1');
    expect(parseTrustedProxies('127.0.0.1').has('::ffff:127.0.0.1')).toBe(true);
    expect(parseTrustedProxies(' , ').has('127.0.0.1')).toBe(false);
    for (const bad of ['10.0.0.0/33', 'lb.internal', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x']) {
      let error: unknown;
      try {
        parseTrustedProxies(bad);
      } catch (e) {
        error = e;
      }
      expect(isWalletError(error) && error.code === 'relay_config_invalid', bad).toBe(true);
    }
    expect(relaySettingsFromEnv({ TRUSTED_PROXIES: '10.0.0.0/8' }).trustedProxies).toBe('10.0.0.0/8');
    expect(() => relaySettingsFromEnv({ TRUSTED_PROXIES: 'nginx' })).toThrow(/TRUSTED_PROXIES/);
  });
});

describe('a relay behind a trusted proxy', () => {
  it('charges connections to the forwarded client, each within its own per-address limit', async () => {
    const running = await kit.relay({ limits: { maxConnectionsPerIp: 2 }, trustedProxies: '127.0.0.1' });
    const [room, token] = [randomRoomId(), randomToken()];
    const as = (ip: string) => openRaw(running.url, room, token, { 'X-Forwarded-For': ip });
    const first = [await as('198.51.100.1'), await as('198.51.100.1')];
    for (const c of first) kit.defer(() => c.ws.terminate());
    const third = await as('198.51.100.1');
    kit.defer(() => third.ws.terminate());
    expect((await third.closed).code).toBe(4429);
    // Another client behind the same proxy is not affected by the first one's use.
    const other = await as('198.51.100.2');
    kit.defer(() => other.ws.terminate());
    const stillOpen = await Promise.race([
      other.closed.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 200)),
    ]);
    expect(stillOpen).toBe(true);
  });

  it('ignores X-Forwarded-For from an untrusted peer: a client cannot pick its address', async () => {
    const running = await kit.relay({ limits: { maxConnectionsPerIp: 2 } });
    const [room, token] = [randomRoomId(), randomToken()];
    const clients = [];
    for (const ip of ['198.51.100.1', '198.51.100.2']) {
      const c = await openRaw(running.url, room, token, { 'X-Forwarded-For': ip });
      kit.defer(() => c.ws.terminate());
      clients.push(c);
    }
    const spoofing = await openRaw(running.url, room, token, { 'X-Forwarded-For': '198.51.100.3' });
    kit.defer(() => spoofing.ws.terminate());
    expect((await spoofing.closed).code).toBe(4429);
  });
});
