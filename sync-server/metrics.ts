import { ADMISSION_CODES } from '../shared/ledger/admission';
import { HANDOVER_OUTCOMES, type HandOverOutcome } from '../shared/sync/relay-handover';

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
  'too_many_tcp_connections_per_ip',
  'too_many_new_rooms_per_ip',
  'too_many_new_rooms_per_prefix',
  'too_many_provisional_rooms',
  'storage_corrupt',
  'author_quota',
  'update_refused',
  'stalled_message',
  'room_not_served',
  'token_expired',
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
  /** Rooms whose stored data was found damaged and that wait for clients to upload it again. */
  roomsHealing: number;
  /** Damage found in stored data (at start or when a room loads), one per finding. */
  storageDamage: number;
  /** Rooms deleted by the sweeper (provisional or idle past their time). */
  roomsExpired: number;
  /** Bytes of partially received messages the relay holds (see InflightGate). */
  receivingBytes?: number;
  /** What admission let into rooms and removed (absent where a host does not count it). */
  admission?: AdmissionMetrics;
  /** Relay token hand-overs answered, by outcome (docs/relay.md "Relay tokens"). */
  handOvers?: Record<HandOverOutcome, number>;
}

/** Why admission removed a value from a room: the entry codes, over an author's quota, or outside the map. */
export const VALUE_REFUSAL_REASONS = [...ADMISSION_CODES, 'author_quota', 'outside_entries'] as const;
export type ValueRefusalReason = (typeof VALUE_REFUSAL_REASONS)[number];

export interface AdmissionMetrics {
  /** Values admitted into rooms (new entries; the same entry filed again is not counted). */
  admitted: number;
  /** Values removed, by reason. */
  refused: Record<ValueRefusalReason, number>;
  /** Signatures verified to admit them (about one per author per update: chain tips). */
  signaturesVerified: number;
  /** Deletions of admissible values that the relay undid. */
  restored: number;
}

/** Admission's counters, shared by every room of a relay. */
export class AdmissionCounters implements AdmissionMetrics {
  admitted = 0;
  signaturesVerified = 0;
  restored = 0;
  readonly refused: Record<ValueRefusalReason, number> = Object.fromEntries(
    VALUE_REFUSAL_REASONS.map((reason) => [reason, 0]),
  ) as Record<ValueRefusalReason, number>;

  refuse(reason: ValueRefusalReason): void {
    this.refused[reason] += 1;
  }

  snapshot(): AdmissionMetrics {
    const { admitted, signaturesVerified, restored } = this;
    return { admitted, signaturesVerified, restored, refused: { ...this.refused } };
  }
}

/** Monotonic counters shared by the relay's parts. */
export class RelayCounters {
  bytesIn = 0;
  bytesOut = 0;
  messages = 0;
  readonly rejections: Record<RejectionReason, number> = Object.fromEntries(
    REJECTION_REASONS.map((reason) => [reason, 0]),
  ) as Record<RejectionReason, number>;

  readonly admission = new AdmissionCounters();

  readonly handOvers: Record<HandOverOutcome, number> = Object.fromEntries(
    HANDOVER_OUTCOMES.map((outcome) => [outcome, 0]),
  ) as Record<HandOverOutcome, number>;

  reject(reason: RejectionReason): void {
    this.rejections[reason] += 1;
  }

  handedOver(outcome: HandOverOutcome): void {
    this.handOvers[outcome] += 1;
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
  if (m.handOvers) {
    const h = m.handOvers;
    metric(
      'relay_token_handovers_total',
      'counter',
      'Relay token hand-overs answered, by outcome.',
      HANDOVER_OUTCOMES.map((outcome) => `relay_token_handovers_total{outcome="${outcome}"} ${h[outcome]}`),
    );
  }
  metric('relay_uptime_seconds', 'gauge', 'Seconds since the relay started.', [
    `relay_uptime_seconds ${m.uptimeSeconds}`,
  ]);
  metric('relay_rooms_healing', 'gauge', 'Rooms with damaged stored data, healing from client uploads.', [
    `relay_rooms_healing ${m.roomsHealing}`,
  ]);
  metric('relay_storage_damage_total', 'counter', 'Damage found in stored room data.', [
    `relay_storage_damage_total ${m.storageDamage}`,
  ]);
  metric('relay_rooms_expired_total', 'counter', 'Rooms deleted for being provisional or idle too long.', [
    `relay_rooms_expired_total ${m.roomsExpired}`,
  ]);
  if (m.receivingBytes !== undefined) {
    metric('relay_receiving_bytes', 'gauge', 'Bytes of partially received messages held.', [
      `relay_receiving_bytes ${m.receivingBytes}`,
    ]);
  }
  const admission = m.admission;
  if (admission !== undefined) {
    metric('relay_values_admitted_total', 'counter', 'Entries admitted into rooms.', [
      `relay_values_admitted_total ${admission.admitted}`,
    ]);
    metric(
      'relay_values_refused_total',
      'counter',
      'Values removed from rooms by admission, by reason.',
      VALUE_REFUSAL_REASONS.map(
        (reason) => `relay_values_refused_total{reason="${reason}"} ${admission.refused[reason]}`,
      ),
    );
    metric('relay_signatures_verified_total', 'counter', 'Entry signatures verified by admission.', [
      `relay_signatures_verified_total ${admission.signaturesVerified}`,
    ]);
    metric('relay_values_restored_total', 'counter', 'Deletions of admissible values undone.', [
      `relay_values_restored_total ${admission.restored}`,
    ]);
  }
  return `${lines.join('\n')}\n`;
}
