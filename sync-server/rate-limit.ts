/**
 * Token bucket: `burst` tokens at most, refilled continuously at `ratePerSecond`.
 * One message costs one token; an empty bucket means the sender is over its rate. Byte budgets
 * use the same bucket with a cost per byte (`spend`, `msUntil`).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly nowMs: () => number = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = nowMs();
  }

  /** Takes one token; false when none is left (the message must be refused). */
  take(): boolean {
    this.refill();
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** True while the bucket holds anything: work may start, and `spend` its real cost after. */
  get available(): boolean {
    this.refill();
    return this.tokens > 0;
  }

  /**
   * Charges `cost` tokens, going below zero if need be: work whose cost is known only once it
   * is done (an encoded reply) is paid after it, and the debt delays what comes next.
   */
  spend(cost: number): void {
    this.refill();
    this.tokens -= cost;
  }

  /** Milliseconds until the bucket holds something again (0 if it does now). */
  msUntilAvailable(): number {
    this.refill();
    return this.tokens > 0 ? 0 : Math.ceil(((-this.tokens + 1) * 1000) / this.ratePerSecond);
  }

  /** A full bucket that has not been used: its owner can be forgotten. */
  get isFull(): boolean {
    this.refill();
    return this.tokens >= this.burst;
  }

  private refill(): void {
    const now = this.nowMs();
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerSecond) / 1000);
  }
}
