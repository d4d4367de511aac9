import type { RelayLimits } from './config';
import { networkPrefix } from './net-prefix';
import { TokenBucket } from './rate-limit';

/** Forget buckets that refilled completely once more than this many addresses are known. */
const PRUNE_ABOVE = 4096;

/**
 * What one address, and one network prefix, may make the relay do over time, whichever
 * connections and rooms it spreads over: messages in, and sync-reply bytes out. Counting work
 * rather than messages is what stops a 3-byte request from costing a whole room's encoding.
 */
export class AddressBudgets {
  private readonly messages = new Map<string, TokenBucket>();
  private readonly sendPerIp = new Map<string, TokenBucket>();
  private readonly sendPerPrefix = new Map<string, TokenBucket>();

  constructor(
    private readonly limits: RelayLimits,
    private readonly nowMs: () => number = () => performance.now(),
  ) {}

  /** One message from `ip`; false when the address is over its rate (all its connections together). */
  allowMessage(ip: string): boolean {
    const rate = this.limits.messagesPerSecondPerIp;
    return this.bucket(this.messages, ip, rate, 2 * rate).take();
  }

  /** Milliseconds until `ip` may have another reply built for it (0: now). */
  sendWaitMs(ip: string): number {
    return Math.max(this.ipSend(ip).msUntilAvailable(), this.prefixSend(ip).msUntilAvailable());
  }

  /** Charges the bytes of a reply built for `ip` (after the fact: its size is known only then). */
  chargeSend(ip: string, bytes: number): void {
    this.ipSend(ip).spend(bytes);
    this.prefixSend(ip).spend(bytes);
  }

  /** Addresses and prefixes currently tracked (for metrics and tests). */
  get tracked(): number {
    return this.messages.size + this.sendPerIp.size + this.sendPerPrefix.size;
  }

  private ipSend(ip: string): TokenBucket {
    const { sendBytesPerSecondPerIp: rate, sendBurstBytesPerIp: burst } = this.limits;
    return this.bucket(this.sendPerIp, ip, rate, burst);
  }

  private prefixSend(ip: string): TokenBucket {
    const rate = this.limits.sendBytesPerSecondPerPrefix;
    return this.bucket(this.sendPerPrefix, networkPrefix(ip), rate, 16 * rate);
  }

  private bucket(map: Map<string, TokenBucket>, key: string, rate: number, burst: number): TokenBucket {
    let bucket = map.get(key);
    if (bucket === undefined) {
      if (map.size >= PRUNE_ABOVE) prune(map);
      bucket = new TokenBucket(rate, burst, this.nowMs);
      map.set(key, bucket);
    }
    return bucket;
  }
}

/** Drops buckets that are full again: forgetting them changes nothing for their owners. */
function prune(map: Map<string, TokenBucket>): void {
  for (const [key, bucket] of map) if (bucket.isFull) map.delete(key);
}
