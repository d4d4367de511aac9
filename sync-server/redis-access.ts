/**
 * Token check and room creation for a cluster node, decided in Redis: the first valid token
 * claims a room, the relay-wide room and provisional caps and the per-address and per-prefix
 * creation budgets are checked and charged in one script. An attacker cannot spread over
 * nodes to pass them, and two first connections on two nodes cannot both win.
 */
import type { Logger } from 'pino';
import { hashToken, tokenHashesEqual } from './auth';
import type { RelayLimits } from './config';
import { networkPrefix } from './net-prefix';
import type { SharedAccess } from './relay-backend';
import type { RedisKeys } from './redis-keys';
import type { RedisRoomStore } from './redis-room-store';
import type { ClusterScripts } from './redis-scripts';
import type { AccessVerdict } from './room-access';

/** Retry-after bounds for a full provisional cap (as relay.ts: at least one sweep, at most an hour). */
const RETRY_ROOMS_MAX_S = 3600;

export class RedisAccess implements SharedAccess {
  constructor(
    private readonly scripts: ClusterScripts,
    private readonly keys: RedisKeys,
    private readonly store: RedisRoomStore,
    private readonly limits: RelayLimits,
    private readonly log: Logger,
  ) {}

  /** Nothing is cached per node: another node may delete and re-create a room at any time. */
  forget(): void {}

  async authorize(roomId: string, token: string, ip: string): Promise<AccessVerdict> {
    const presented = hashToken(token);
    const l = this.limits;
    const [outcome, detail] = await this.scripts.claimRoom(
      [
        this.keys.meta(roomId),
        this.keys.rooms,
        this.keys.provisional,
        this.keys.lastActive,
        this.keys.bucket('create-ip', ip),
        this.keys.bucket('create-prefix', networkPrefix(ip)),
      ],
      [
        Buffer.from(presented).toString('hex'),
        roomId,
        l.maxRooms,
        Math.min(l.maxProvisionalRooms, l.maxRooms),
        l.roomsPerHourPerIp / 3_600_000,
        l.roomBurstPerIp,
        l.roomsPerHourPerPrefix / 3_600_000,
        l.roomBurstPerPrefix,
      ],
    );
    switch (outcome) {
      case 'exists':
        return tokenHashesEqual(this.store.tokenBytes(roomId, detail), presented) ? 'ok' : 'unauthorized';
      case 'created':
        this.store.noteRoomCount(Number(detail));
        this.log.debug({ room: roomId }, 'room created');
        return 'ok';
      case 'too_many_rooms':
        return 'too_many_rooms';
      case 'too_many_provisional_rooms': {
        const expiresInS = (Number(detail) + l.provisionalRoomTtlSeconds * 1000 - Date.now()) / 1000;
        const retry = Math.min(
          RETRY_ROOMS_MAX_S,
          Math.max(l.roomSweepIntervalSeconds, Math.ceil(expiresInS)),
        );
        return { reason: outcome, retryAfterSeconds: Number.isFinite(retry) ? retry : RETRY_ROOMS_MAX_S };
      }
      case 'too_many_new_rooms_per_ip':
      case 'too_many_new_rooms_per_prefix':
        return { reason: outcome, retryAfterSeconds: Math.max(1, Number(detail) || 1) };
      default:
        throw new Error(`unexpected room claim outcome ${String(outcome)}`);
    }
  }
}
