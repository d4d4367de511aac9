/**
 * Per-address budgets shared by a cluster's nodes. The relay asks them synchronously on every
 * message, so each node keeps its local buckets (AddressBudgets) and, every FLUSH_MS, charges
 * what its addresses used to buckets in Redis with the same rates. An address whose shared
 * bucket is overdrawn is held back (sync replies wait) or refused (messages) on this node until
 * the shared bucket refills. So spreading over N nodes buys an attacker at most one flush
 * interval of extra work per node, not N times the budget.
 */
import type { Logger } from 'pino';
import { AddressBudgets } from './address-budgets';
import type { RelayLimits } from './config';
import { networkPrefix } from './net-prefix';
import type { RedisKeys } from './redis-keys';
import type { ClusterScripts } from './redis-scripts';

/** How often usage is charged to the shared buckets. */
const FLUSH_MS = 100;
/** Buckets charged per script run (a flood of addresses is charged over several runs). */
const FLUSH_BATCH = 500;

interface Charge {
  readonly key: string;
  readonly rate: number;
  readonly burst: number;
  amount: number;
  /** What an overdrawn bucket blocks: the address's messages, or its (or its prefix's) sync replies. */
  readonly blocks: Map<string, number>;
  readonly blockKey: string;
}

export class SharedAddressBudgets extends AddressBudgets {
  private readonly pending = new Map<string, Charge>();
  /** ip → time (performance.now) until which its messages are refused cluster-wide. */
  private readonly messageBlock = new Map<string, number>();
  /** ip or prefix → time until which its sync replies wait cluster-wide. */
  private readonly sendBlock = new Map<string, number>();
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly shared: RelayLimits,
    private readonly scripts: ClusterScripts,
    private readonly keys: RedisKeys,
    private readonly log: Logger,
  ) {
    super(shared);
    this.timer = setInterval(() => {
      this.flushing = this.flushing.then(() => this.flush());
    }, FLUSH_MS);
    this.timer.unref();
  }

  override allowMessage(ip: string): boolean {
    if (blocked(this.messageBlock, ip)) return false;
    if (!super.allowMessage(ip)) return false;
    const rate = this.shared.messagesPerSecondPerIp / 1000;
    this.charge(this.keys.bucket('msg-ip', ip), rate, 2 * rate * 1000, 1, this.messageBlock, ip);
    return true;
  }

  override sendWaitMs(ip: string): number {
    const now = performance.now();
    const until = Math.max(this.sendBlock.get(ip) ?? 0, this.sendBlock.get(`p:${networkPrefix(ip)}`) ?? 0);
    return Math.max(super.sendWaitMs(ip), Math.ceil(until - now));
  }

  override chargeSend(ip: string, bytes: number): void {
    super.chargeSend(ip, bytes);
    const l = this.shared;
    const prefix = networkPrefix(ip);
    const ipRate = l.sendBytesPerSecondPerIp / 1000;
    this.charge(this.keys.bucket('send-ip', ip), ipRate, l.sendBurstBytesPerIp, bytes, this.sendBlock, ip);
    const prefixRate = l.sendBytesPerSecondPerPrefix / 1000;
    this.charge(
      this.keys.bucket('send-prefix', prefix),
      prefixRate,
      16 * l.sendBytesPerSecondPerPrefix,
      bytes,
      this.sendBlock,
      `p:${prefix}`,
    );
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flushing;
  }

  private charge(
    key: string,
    rate: number,
    burst: number,
    amount: number,
    blocks: Map<string, number>,
    blockKey: string,
  ): void {
    const charge = this.pending.get(key);
    if (charge !== undefined) charge.amount += amount;
    else this.pending.set(key, { key, rate, burst, amount, blocks, blockKey });
  }

  private async flush(): Promise<void> {
    pruneExpired(this.messageBlock);
    pruneExpired(this.sendBlock);
    if (this.pending.size === 0) return;
    const charges = [...this.pending.values()].slice(0, FLUSH_BATCH);
    for (const charge of charges) this.pending.delete(charge.key);
    try {
      const levels = await this.scripts.chargeBuckets(
        charges.map((c) => c.key),
        charges.flatMap((c) => [c.rate, c.burst, c.amount]),
      );
      const now = performance.now();
      charges.forEach((charge, i) => {
        const level = Number(levels[i]);
        if (Number.isFinite(level) && level < 0)
          charge.blocks.set(charge.blockKey, now + -level / charge.rate);
        else charge.blocks.delete(charge.blockKey);
      });
    } catch (error) {
      // Redis unreachable: each node still enforces its local budgets; nothing else changes.
      this.log.warn({ err: error }, 'cannot charge shared address budgets');
    }
  }
}

function blocked(blocks: Map<string, number>, key: string): boolean {
  const until = blocks.get(key);
  if (until === undefined) return false;
  if (until > performance.now()) return true;
  blocks.delete(key);
  return false;
}

/** Forgets lifted blocks once many addresses are known (an address flood must not grow them forever). */
function pruneExpired(blocks: Map<string, number>): void {
  if (blocks.size < 4096) return;
  const now = performance.now();
  for (const [key, until] of blocks) if (until <= now) blocks.delete(key);
}
