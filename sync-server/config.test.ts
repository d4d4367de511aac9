import { describe, expect, it } from 'vitest';
import { isWalletError } from '../shared/errors';
import { DEFAULT_LIMITS, relaySettingsFromEnv, resolveLimits, validatePort } from './config';

const configError = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return isWalletError(error) ? error.code : 'not a WalletError';
  }
  return undefined;
};

describe('relay configuration', () => {
  it('uses safe defaults when the environment sets nothing', () => {
    expect(relaySettingsFromEnv({})).toEqual({
      host: '127.0.0.1',
      port: 1234,
      dataDir: './relay-data',
      limits: DEFAULT_LIMITS,
      logLevel: 'info',
    });
  });

  it('reads HOST, PORT, DATA_DIR, LOG_LEVEL and every LIMIT_* variable', () => {
    const settings = relaySettingsFromEnv({
      HOST: '0.0.0.0',
      PORT: '0',
      DATA_DIR: ':memory:',
      LOG_LEVEL: 'warn',
      LIMIT_MAX_MESSAGE_BYTES: '2048',
      LIMIT_MAX_DOC_BYTES: '4096',
      LIMIT_MAX_ROOMS: '3',
      LIMIT_MAX_CONNECTIONS_PER_IP: '4',
      LIMIT_MESSAGES_PER_SECOND: '5',
      LIMIT_MESSAGE_BURST: '6',
    });
    expect(settings).toEqual({
      host: '0.0.0.0',
      port: 0,
      dataDir: null,
      logLevel: 'warn',
      limits: {
        ...DEFAULT_LIMITS,
        maxMessageBytes: 2048,
        maxDocBytes: 4096,
        maxRooms: 3,
        maxConnectionsPerIp: 4,
        messagesPerSecond: 5,
        messageBurst: 6,
      },
    });
  });

  it('treats empty variables as unset', () => {
    expect(relaySettingsFromEnv({ PORT: '', DATA_DIR: ' ', LIMIT_MAX_ROOMS: '' }).port).toBe(1234);
    expect(relaySettingsFromEnv({ DATA_DIR: ' ' }).dataDir).toBe('./relay-data');
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['LIMIT_MAX_ROOMS', '0'],
    ['LIMIT_MAX_ROOMS', '-5'],
    ['LIMIT_MAX_DOC_BYTES', '1e6'],
    ['LIMIT_MESSAGE_BURST', '12abc'],
    ['LIMIT_MAX_MESSAGE_BYTES', '99999999999999999999'],
    ['LIMIT_MAX_TOKENS_PER_ROOM', '1'],
    ['LIMIT_MAX_TOKENS_PER_ROOM', '1025'],
    ['LIMIT_TOKEN_GRACE_DAYS', '-1'],
    ['LIMIT_TOKEN_GRACE_DAYS', '3651'],
    ['LOG_LEVEL', 'loud'],
  ])('rejects %s=%s with relay_config_invalid', (name, value) => {
    expect(configError(() => relaySettingsFromEnv({ [name]: value }))).toBe('relay_config_invalid');
  });

  it('validates limits and ports given in code', () => {
    expect(resolveLimits({ maxRooms: 7 })).toEqual({ ...DEFAULT_LIMITS, maxRooms: 7 });
    expect(configError(() => resolveLimits({ maxRooms: 0 }))).toBe('relay_config_invalid');
    expect(configError(() => resolveLimits({ messagesPerSecond: 1.5 }))).toBe('relay_config_invalid');
    expect(configError(() => resolveLimits({ maxDocBytes: Number.NaN }))).toBe('relay_config_invalid');
    expect(resolveLimits({ maxTokensPerRoom: 2, tokenGraceDays: 0 })).toMatchObject({
      maxTokensPerRoom: 2,
      tokenGraceDays: 0,
    });
    expect(relaySettingsFromEnv({ LIMIT_TOKEN_GRACE_DAYS: '0' }).limits.tokenGraceDays).toBe(0);
    expect(configError(() => resolveLimits({ maxRooms: 0, tokenGraceDays: 0 }))).toBe('relay_config_invalid');
    expect(
      relaySettingsFromEnv({ LIMIT_MAX_TOKENS_PER_ROOM: '4', LIMIT_TOKEN_GRACE_DAYS: '7' }).limits,
    ).toEqual({
      ...DEFAULT_LIMITS,
      maxTokensPerRoom: 4,
      tokenGraceDays: 7,
    });
    expect(DEFAULT_LIMITS).toMatchObject({ maxTokensPerRoom: 16, tokenGraceDays: 30 });
    expect(validatePort(0)).toBe(0);
    expect(configError(() => validatePort(65_536))).toBe('relay_config_invalid');
  });
});
