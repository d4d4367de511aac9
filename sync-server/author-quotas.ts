/**
 * Per-author quotas in one room: how many entries and bytes each author key has there. Without
 * them one member could fill the room to its size limit with validly signed entries and lock
 * everyone else out (issue 10, finding 3).
 */
export interface AuthorQuotaLimits {
  readonly maxEntriesPerAuthor: number;
  readonly maxBytesPerAuthor: number;
}

interface Usage {
  entries: number;
  bytes: number;
}

export class AuthorQuotas {
  readonly #usage = new Map<string, Usage>();

  constructor(private readonly limits: AuthorQuotaLimits) {}

  /** Would one more entry of `size` bytes keep `author` within both quotas? */
  fits(author: string, size: number): boolean {
    const used = this.#usage.get(author);
    if (used === undefined)
      return size <= this.limits.maxBytesPerAuthor && this.limits.maxEntriesPerAuthor >= 1;
    return (
      used.entries + 1 <= this.limits.maxEntriesPerAuthor &&
      used.bytes + size <= this.limits.maxBytesPerAuthor
    );
  }

  /** Counts an entry; also past the quota (entries stored before the quota existed stay). */
  add(author: string, size: number): void {
    const used = this.#usage.get(author);
    if (used === undefined) this.#usage.set(author, { entries: 1, bytes: size });
    else {
      used.entries += 1;
      used.bytes += size;
    }
  }

  usage(author: string): Readonly<Usage> {
    return this.#usage.get(author) ?? { entries: 0, bytes: 0 };
  }
}
