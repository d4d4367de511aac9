/**
 * The address a connection's per-address limits are charged to. Behind a load balancer every TCP
 * peer is the balancer, so one busy household would exhaust everyone's budgets (and an attacker's
 * would be shared by all). With TRUSTED_PROXIES set, a connection from one of those addresses is
 * charged to the client its X-Forwarded-For names: the header is read right to left, skipping
 * trusted proxies, and the first other address is the client. Anything before it was written by
 * the client and is ignored (a client can put anything there). A header missing or malformed
 * from a trusted proxy leaves the proxy's own address: the connection is still limited.
 */
import { BlockList, isIP } from 'node:net';
import { WalletError } from '../shared/errors';

export interface TrustedProxies {
  /** True when `address` (as a socket reports it) is one of the trusted proxies. */
  has(address: string): boolean;
}

export const NO_TRUSTED_PROXIES: TrustedProxies = { has: () => false };

/** Most X-Forwarded-For hops looked at: a longer header is a client's invention. */
const MAX_HOPS = 16;

/** "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) → "10.0.0.1"; other addresses as they are. */
export function plainAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/**
 * Parses TRUSTED_PROXIES: comma-separated addresses or CIDR blocks, IPv4 or IPv6
 * ("10.0.0.0/8, 172.16.0.0/12, ::1"). Throws WalletError('relay_config_invalid') on anything else.
 */
export function parseTrustedProxies(raw: string): TrustedProxies {
  const list = new BlockList();
  let entries = 0;
  for (const part of raw.split(',')) {
    const text = part.trim();
    if (text === '') continue;
    const [address = '', prefix, extra] = text.split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : Number(prefix);
    const maxBits = family === 6 ? 128 : 32;
    if (
      family === 0 ||
      extra !== undefined ||
      (bits !== null && (!/^\d{1,3}$/.test(prefix!) || bits > maxBits))
    ) {
      throw new WalletError(
        'relay_config_invalid',
        `TRUSTED_PROXIES: "${text}" is not an address or CIDR block`,
        {
          variable: 'TRUSTED_PROXIES',
        },
      );
    }
    const type = family === 6 ? 'ipv6' : 'ipv4';
    if (bits === null) list.addAddress(address, type);
    else list.addSubnet(address, bits, type);
    entries += 1;
  }
  if (entries === 0) return NO_TRUSTED_PROXIES;
  return {
    has(address) {
      const plain = plainAddress(address);
      const family = isIP(plain);
      if (family === 0) return false;
      return list.check(plain, family === 6 ? 'ipv6' : 'ipv4');
    },
  };
}

/** The address to charge: the socket's peer, or (from a trusted proxy) the client it forwards. */
export function clientAddress(
  peer: string | undefined,
  forwardedFor: string | string[] | undefined,
  trusted: TrustedProxies,
): string {
  const own = plainAddress(peer ?? 'unknown');
  if (!trusted.has(own) || forwardedFor === undefined) return own;
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor;
  const hops = header.split(',').slice(-MAX_HOPS);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = plainAddress(hops[i]!.trim());
    if (isIP(hop) === 0) return own; // malformed: trust none of it
    if (!trusted.has(hop)) return hop;
  }
  return own;
}
