import { describe, expect, it } from 'vitest';
import { DEFAULT_RELAY_PORT, resolveRelayConfig } from './relay-host';

describe('resolveRelayConfig', () => {
  it('runs an embedded relay on loopback with data under userData by default', () => {
    expect(resolveRelayConfig({}, '/home/bo/.config/Tally')).toEqual({
      ok: true,
      value: {
        mode: 'embedded',
        host: '127.0.0.1',
        port: DEFAULT_RELAY_PORT,
        dataDir: '/home/bo/.config/Tally/relay',
      },
    });
  });

  it('honours TALLY_RELAY_PORT and TALLY_RELAY_URL', () => {
    expect(resolveRelayConfig({ TALLY_RELAY_PORT: '0' }, '/d')).toMatchObject({
      ok: true,
      value: { port: 0 },
    });
    expect(resolveRelayConfig({ TALLY_RELAY_URL: 'wss://relay.example.org' }, '/d')).toEqual({
      ok: true,
      value: { mode: 'external', url: 'wss://relay.example.org' },
    });
    expect(resolveRelayConfig({ TALLY_RELAY_URL: ' wss://example.org/sync/ ' }, '/d')).toMatchObject({
      value: { url: 'wss://example.org/sync' },
    });
  });

  it.each([
    [{ TALLY_RELAY_PORT: '70000' }],
    [{ TALLY_RELAY_PORT: '12.5' }],
    [{ TALLY_RELAY_PORT: 'http' }],
    [{ TALLY_RELAY_URL: 'https://relay.example.org' }],
    [{ TALLY_RELAY_URL: 'wss://u:p@relay.example.org' }],
    [{ TALLY_RELAY_URL: 'relay' }],
    [{ TALLY_RELAY_URL: 'wss://relay.example.org/?token=x' }],
  ])('rejects %o with RELAY_CONFIG_INVALID', (env) => {
    const r = resolveRelayConfig(env, '/d');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe('RELAY_CONFIG_INVALID');
  });
});
