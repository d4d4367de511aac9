/** Why the relay refused an upgrade or closed a connection (the `reason` label). */
export const REJECTION_REASONS = [
  'bad_path',
  'unauthorized',
  'too_many_rooms',
  'too_many_connections_per_ip',
  'shutting_down',
  'message_too_large',
  'room_too_large',
  'rate_limited',
  'malformed',
  'slow_consumer',
  'storage_error',
] as const;

export type RejectionReason = (typeof REJECTION_REASONS)[number];

export interface RelayMetrics {
  /** Open WebSocket connections. */
  connections: number;
  /** Rooms loaded in memory (with at least one connection or work in flight). */
  rooms: number;
  /** Rooms known to the relay (persisted, or in memory when running without a data dir). */
  storedRooms: number;
  bytesIn: number;
  bytesOut: number;
  /** WebSocket messages received. */
  messages: number;
  rejections: Record<RejectionReason, number>;
  uptimeSeconds: number;
}

/** Monotonic counters shared by the relay's parts. */
export class RelayCounters {
  bytesIn = 0;
  bytesOut = 0;
  messages = 0;
  readonly rejections: Record<RejectionReason, number> = Object.fromEntries(
    REJECTION_REASONS.map((reason) => [reason, 0]),
  ) as Record<RejectionReason, number>;

  reject(reason: RejectionReason): void {
    this.rejections[reason] += 1;
  }
}

/** Prometheus text exposition format 0.0.4. */
export function renderPrometheus(m: RelayMetrics): string {
  const lines: string[] = [];
  const metric = (name: string, type: 'gauge' | 'counter', help: string, samples: string[]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, ...samples);
  };
  metric('relay_connections', 'gauge', 'Open WebSocket connections.', [`relay_connections ${m.connections}`]);
  metric('relay_rooms', 'gauge', 'Rooms loaded in memory.', [`relay_rooms ${m.rooms}`]);
  metric('relay_stored_rooms', 'gauge', 'Rooms known to the relay.', [`relay_stored_rooms ${m.storedRooms}`]);
  metric('relay_bytes_in_total', 'counter', 'WebSocket payload bytes received.', [
    `relay_bytes_in_total ${m.bytesIn}`,
  ]);
  metric('relay_bytes_out_total', 'counter', 'WebSocket payload bytes sent.', [
    `relay_bytes_out_total ${m.bytesOut}`,
  ]);
  metric('relay_messages_total', 'counter', 'WebSocket messages received.', [
    `relay_messages_total ${m.messages}`,
  ]);
  metric(
    'relay_rejections_total',
    'counter',
    'Refused upgrades and closed connections, by reason.',
    REJECTION_REASONS.map((reason) => `relay_rejections_total{reason="${reason}"} ${m.rejections[reason]}`),
  );
  metric('relay_uptime_seconds', 'gauge', 'Seconds since the relay started.', [
    `relay_uptime_seconds ${m.uptimeSeconds}`,
  ]);
  return `${lines.join('\n')}\n`;
}
