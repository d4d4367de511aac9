import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network an address belongs to, for budgets shared by neighbours: /24 for IPv4, /48 for
 * IPv6 (what one home, office or cloud tenant usually gets). An attacker with many addresses in
 * one network then shares one budget. IPv4-mapped IPv6 (::ffff:a.b.c.d) counts as IPv4.
 */
export function networkPrefix(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  const v4 = mapped ? mapped[1]! : ip;
  if (isIPv4(v4)) return `${v4.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(ip)) return `${expandIPv6(ip).slice(0, 3).join(':')}::/48`;
  return ip; // not an address (a unix socket, 'unknown'): its own bucket
}

/** The eight 16-bit groups of an IPv6 address, in lower-case hex without leading zeros. */
function expandIPv6(ip: string): string[] {
  const [head = '', tail] = ip.split('%')[0]!.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const fill = tail === undefined ? [] : new Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...fill, ...right].map((group) => Number.parseInt(group, 16).toString(16));
}
