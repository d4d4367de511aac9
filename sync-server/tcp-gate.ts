/**
 * TCP connections per address, counted as each socket opens, before any HTTP is parsed, so
 * half-open upgrades (slowloris) count too. Each WebSocket is also a TCP connection: the limit
 * must be at least maxConnectionsPerIp. A trusted proxy (client-address.ts) carries many clients
 * on its connections and limits them itself, so it is not counted.
 */
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import type { TrustedProxies } from './client-address';
import type { RelayCounters } from './metrics';

export class TcpGate {
  readonly #perIp = new Map<string, number>();

  constructor(
    private readonly limit: number,
    private readonly counters: RelayCounters,
    private readonly log: Logger,
    private readonly trusted: () => TrustedProxies,
  ) {}

  /** Admits or destroys a new socket; an admitted one is counted until it closes. */
  onConnection(socket: Socket): void {
    const ip = socket.remoteAddress ?? 'unknown';
    if (this.trusted().has(ip)) return;
    const count = (this.#perIp.get(ip) ?? 0) + 1;
    if (count > this.limit) {
      this.counters.reject('too_many_tcp_connections_per_ip');
      this.log.debug({ ip }, 'tcp connection refused');
      socket.destroy();
      return;
    }
    this.#perIp.set(ip, count);
    socket.once('close', () => {
      const left = (this.#perIp.get(ip) ?? 1) - 1;
      if (left <= 0) this.#perIp.delete(ip);
      else this.#perIp.set(ip, left);
    });
  }
}
