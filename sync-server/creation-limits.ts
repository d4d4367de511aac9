import { networkPrefix } from './net-prefix';

/** Why a new room may not be created now, and when to ask again. */
export interface CreationRefusal {
  readonly reason: 'too_many_new_rooms_per_ip' | 'too_many_new_rooms_per_prefix';
  readonly retryAfterSeconds: number;
}

export interface CreationRates {
  readonly roomsPerHourPerIp: number;
  readonly roomBurstPerIp: number;
  readonly roomsPerHourPerPrefix: number;
  readonly roomBurstPerPrefix: number;
}

/** Buckets that refilled completely carry no information; past this many we drop those. */
const PRUNE_ABOVE = 10_000;

/**
 * Token buckets keyed by a string, each refilled continuously. Unlike TokenBucket it can say
 * how long until the next token, which the refusal carries as retry-after.
 */
class KeyedBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
  ) {}

  /** Seconds until `key` has a whole token (0: it has one now). */
  wait(key: string, now: number): number {
    const tokens = this.level(key, now);
    return tokens >= 1 ? 0 : Math.ceil((1 - tokens) / this.perSecond);
  }

  take(key: string, now: number): void {
    this.buckets.set(key, { tokens: this.level(key, now) - 1, at: now });
    if (this.buckets.size > PRUNE_ABOVE) this.prune(now);
  }

  private level(key: string, now: number): number {
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return this.burst;
    return Math.min(this.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * this.perSecond);
  }

  private prune(now: number): void {
    for (const key of [...this.buckets.keys()]) {
      if (this.level(key, now) >= this.burst) this.buckets.delete(key);
    }
  }
}

/**
 * Rate of room creation per address and per network prefix (/24, /48): a single source, even
 * one with a whole subnet, cannot fill the relay's room limit. Only rooms actually created are
 * charged; connecting to an existing room costs nothing here.
 */
export class CreationLimits {
  private readonly perIp: KeyedBuckets;
  private readonly perPrefix: KeyedBuckets;

  constructor(
    rates: CreationRates,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.perIp = new KeyedBuckets(rates.roomsPerHourPerIp / 3600, rates.roomBurstPerIp);
    this.perPrefix = new KeyedBuckets(rates.roomsPerHourPerPrefix / 3600, rates.roomBurstPerPrefix);
  }

  /**
   * Charges one room creation to `ip` and its prefix, or refuses without charging either (so a
   * refused address does not also drain its neighbours' shared budget).
   */
  tryCreate(ip: string): CreationRefusal | null {
    const now = this.nowMs();
    const prefix = networkPrefix(ip);
    const ipWait = this.perIp.wait(ip, now);
    if (ipWait > 0) return { reason: 'too_many_new_rooms_per_ip', retryAfterSeconds: ipWait };
    const prefixWait = this.perPrefix.wait(prefix, now);
    if (prefixWait > 0) return { reason: 'too_many_new_rooms_per_prefix', retryAfterSeconds: prefixWait };
    this.perIp.take(ip, now);
    this.perPrefix.take(prefix, now);
    return null;
  }
}
