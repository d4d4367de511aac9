import { describe, expect, it } from 'vitest';
import { REJECTION_REASONS, RelayCounters, renderPrometheus } from './metrics';

describe('renderPrometheus', () => {
  it('renders every metric with HELP/TYPE lines and one sample per rejection reason', () => {
    const counters = new RelayCounters();
    counters.reject('unauthorized');
    counters.reject('unauthorized');
    counters.reject('rate_limited');
    const text = renderPrometheus({
      connections: 3,
      rooms: 2,
      storedRooms: 5,
      bytesIn: 1000,
      bytesOut: 2500,
      messages: 42,
      rejections: counters.rejections,
      uptimeSeconds: 7,
      roomsHealing: 1,
      storageDamage: 2,
      roomsExpired: 4,
    });
    expect(text.endsWith('\n')).toBe(true);
    const samples = text.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(samples).toEqual([
      'relay_connections 3',
      'relay_rooms 2',
      'relay_stored_rooms 5',
      'relay_bytes_in_total 1000',
      'relay_bytes_out_total 2500',
      'relay_messages_total 42',
      ...REJECTION_REASONS.map(
        (reason) =>
          `relay_rejections_total{reason="${reason}"} ${reason === 'unauthorized' ? 2 : reason === 'rate_limited' ? 1 : 0}`,
      ),
      'relay_uptime_seconds 7',
      'relay_rooms_healing 1',
      'relay_storage_damage_total 2',
      'relay_rooms_expired_total 4',
    ]);
    expect(text).toContain('# TYPE relay_rejections_total counter\n');
    expect(text).toContain('# TYPE relay_connections gauge\n');
    // No hand-over counts given (another host): no such metric.
    expect(text).not.toContain('relay_token_handovers_total');
  });

  it('renders relay token hand-overs by outcome when the host counts them', () => {
    const counters = new RelayCounters();
    counters.handedOver('ok');
    counters.handedOver('ok');
    counters.handedOver('stale_epoch');
    const text = renderPrometheus({
      connections: 0,
      rooms: 0,
      storedRooms: 0,
      bytesIn: 0,
      bytesOut: 0,
      messages: 0,
      rejections: counters.rejections,
      uptimeSeconds: 0,
      roomsHealing: 0,
      storageDamage: 0,
      roomsExpired: 0,
      handOvers: counters.handOvers,
    });
    expect(text).toContain('# TYPE relay_token_handovers_total counter\n');
    expect(text).toContain('relay_token_handovers_total{outcome="ok"} 2\n');
    expect(text).toContain('relay_token_handovers_total{outcome="stale_epoch"} 1\n');
    expect(text).toContain('relay_token_handovers_total{outcome="busy"} 0\n');
  });
});
