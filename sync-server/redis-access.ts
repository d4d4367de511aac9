/**
 * Token check and room creation for a cluster node, decided in Redis: the first valid token
 * claims a room, the relay-wide room and provisional caps and the per-address and per-prefix
 * creation budgets are checked and charged in one script. An attacker cannot spread over
 * nodes to pass them, and two first connections on two nodes cannot both win.
 */
import type { Logger } from 'pino';
import type { HandOverOutcome } from '../shared/sync/relay-handover';
import { hashToken } from './auth';
import type { RelayLimits } from './config';
import { networkPrefix } from './net-prefix';
import type { SharedAccess } from './relay-backend';
import type { RedisKeys } from './redis-keys';
import type { RedisRoomStore } from './redis-room-store';
import type { ClusterScripts } from './redis-scripts';
import { type AccessVerdict, handOverRules } from './room-access';
import {
  admittedRecord,
  applyHandOver,
  type HandOver,
  hashHex,
  serializeTokenSet,
  type TokenSet,
} from './token-set';

/** Retry-after bounds for a full provisional cap (as relay.ts: at least one sweep, at most an hour). */
const RETRY_ROOMS_MAX_S = 3600;
/** Compare-and-set attempts of a hand-over before it is answered `busy` (each loses only to another write). */
const HANDOVER_ATTEMPTS = 5;

export class RedisAccess implements SharedAccess {
  constructor(
    private readonly scripts: ClusterScripts,
    private readonly keys: RedisKeys,
    private readonly store: RedisRoomStore,
    private readonly limits: RelayLimits,
    private readonly log: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  /** Nothing is cached per node: another node may delete and re-create a room at any time. */
  forget(): void {}

  async authorize(roomId: string, token: string, ip: string): Promise<AccessVerdict> {
    const presented = hashToken(token);
    const l = this.limits;
    const [outcome, detail, tokens] = await this.scripts.claimRoom(
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
      case 'exists': {
        const records = this.store.tokenSetOf(roomId, detail, tokens || null);
        return admittedRecord(records, hashHex(presented), this.now()) !== null ? 'ok' : 'unauthorized';
      }
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

  /** The room's token set as stored now (undefined: no such room). */
  tokenSet(roomId: string): Promise<TokenSet | undefined> {
    return this.store.readTokenSet(roomId);
  }

  /**
   * Reads the set, applies the hand-over, and writes it back only if nobody changed it since
   * (redis-scripts.ts SET_TOKENS); on a conflict it reads again. Resolves once Redis has it.
   */
  async handOver(roomId: string, request: HandOver): Promise<HandOverOutcome> {
    const meta = this.keys.meta(roomId);
    for (let attempt = 0; attempt < HANDOVER_ATTEMPTS; attempt++) {
      const { token, tokens: read } = await this.store.readTokenFields(roomId);
      if (token === null) return 'token_expired'; // the room is gone
      const records = this.store.tokenSetOf(roomId, token, read);
      const result = applyHandOver(records, request, this.now(), handOverRules(this.limits));
      if (!result.ok) return result.reason;
      if (!result.changed) return 'ok';
      const written = await this.scripts.setTokens(
        [meta],
        [token, read === null ? '0' : '1', read ?? '', serializeTokenSet(result.records)],
      );
      if (written === 1) return 'ok';
    }
    this.log.warn({ room: roomId }, 'token hand-over lost every compare-and-set; answered busy');
    return 'busy';
  }
}
