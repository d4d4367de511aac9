import { describe, expect, it } from 'vitest';
import { networkPrefix } from './net-prefix';

describe('networkPrefix', () => {
  it('groups IPv4 addresses by /24', () => {
    expect(networkPrefix('203.0.113.7')).toBe('203.0.113.0/24');
    expect(networkPrefix('203.0.113.250')).toBe(networkPrefix('203.0.113.7'));
    expect(networkPrefix('203.0.114.7')).not.toBe(networkPrefix('203.0.113.7'));
  });

  it('treats IPv4-mapped IPv6 as IPv4', () => {
    expect(networkPrefix('::ffff:127.0.0.2')).toBe('127.0.0.0/24');
  });

  it('groups IPv6 addresses by /48, however they are written', () => {
    expect(networkPrefix('2001:db8:1:2::1')).toBe('2001:db8:1::/48');
    expect(networkPrefix('2001:0db8:0001:ffff::9')).toBe('2001:db8:1::/48');
    expect(networkPrefix('2001:db8:2::1')).not.toBe(networkPrefix('2001:db8:1::1'));
    expect(networkPrefix('::1')).toBe('0:0:0::/48');
  });

  it('keeps anything that is not an address as its own key', () => {
    expect(networkPrefix('unknown')).toBe('unknown');
  });
});
