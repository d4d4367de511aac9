import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as Y from 'yjs';

/**
 * What the relay knows it has stored, kept outside LevelDB so damage to LevelDB cannot also
 * erase the evidence: per room, the Yjs state vector (client id → clocks held).
 *
 * Why the state vector and not an update count: y-leveldb compacts a room's log (merging
 * records, renumbering them), so counts change without any loss; the state vector does not
 * change under compaction or merging, only grows as data arrives, and compares exactly with a
 * loaded document ("does it hold every clock we once held?"). It is small (a few bytes per
 * device that ever wrote).
 *
 * The file is rewritten atomically (tmp + rename) at most every FLUSH_MS and at shutdown, and
 * only with what LevelDB already acknowledged, so it lags behind the store and never leads it:
 * a missing tail of a few seconds is not detected (clients resend it on their next sync anyway),
 * while a truncated or damaged log is.
 */
export const LEDGER_FILE = 'room-integrity.json';
const FLUSH_MS = 2_000;

type StateVector = Map<number, number>;

function encodeSv(sv: StateVector): string {
  return Buffer.from(Y.encodeStateVector(sv)).toString('base64');
}

/** A ∪ B, per client the larger clock. */
export function mergeSv(into: StateVector, other: StateVector): boolean {
  let grew = false;
  for (const [client, clock] of other) {
    if ((into.get(client) ?? 0) < clock) {
      into.set(client, clock);
      grew = true;
    }
  }
  return grew;
}

/** What `expected` has that `actual` lacks, as "N clocks of M clients" (null: nothing). */
export function svShortfall(actual: StateVector, expected: StateVector): string | null {
  let clients = 0;
  let clocks = 0;
  for (const [client, clock] of expected) {
    const held = actual.get(client) ?? 0;
    if (held < clock) {
      clients += 1;
      clocks += clock - held;
    }
  }
  return clients === 0 ? null : `${clocks} items of ${clients} writers missing`;
}

export class IntegrityLedger {
  private readonly rooms = new Map<string, StateVector>();
  private dirty = false;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> = Promise.resolve();

  private constructor(private readonly file: string | null) {}

  /** In memory only (no data folder): nothing survives a restart, so nothing to compare. */
  static memory(): IntegrityLedger {
    return new IntegrityLedger(null);
  }

  /** Reads the sidecar; an unreadable one is reported, not fatal (it is only evidence). */
  static async open(dir: string): Promise<{ ledger: IntegrityLedger; problem: string | null }> {
    const ledger = new IntegrityLedger(join(dir, LEDGER_FILE));
    let text: string;
    try {
      text = await readFile(ledger.file!, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') return { ledger, problem: null };
      return { ledger, problem: `cannot read ${LEDGER_FILE}: ${String(error)}` };
    }
    try {
      const parsed = JSON.parse(text) as { version: number; rooms: Record<string, string> };
      for (const [room, sv] of Object.entries(parsed.rooms)) {
        ledger.rooms.set(room, Y.decodeStateVector(Buffer.from(sv, 'base64')));
      }
      return { ledger, problem: null };
    } catch (error) {
      return { ledger, problem: `${LEDGER_FILE} is damaged: ${String(error)}` };
    }
  }

  roomIds(): string[] {
    return [...this.rooms.keys()];
  }

  expected(roomId: string): StateVector | undefined {
    return this.rooms.get(roomId);
  }

  /** Raises the record to include `sv`; never lowers it (a damaged load must not erase evidence). */
  record(roomId: string, sv: StateVector): void {
    let held = this.rooms.get(roomId);
    if (held === undefined) {
      held = new Map();
      this.rooms.set(roomId, held);
    }
    if (mergeSv(held, sv)) this.touch();
  }

  forget(roomId: string): void {
    if (this.rooms.delete(roomId)) this.touch();
  }

  /** Writes now if anything changed; waits for a write in progress. */
  async flush(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty || this.file === null) return this.writing;
    this.dirty = false;
    const file = this.file;
    const body = JSON.stringify({
      version: 1,
      rooms: Object.fromEntries([...this.rooms].map(([room, sv]) => [room, encodeSv(sv)])),
    });
    this.writing = this.writing.then(async () => {
      await writeFile(`${file}.tmp`, body);
      await rename(`${file}.tmp`, file);
    });
    return this.writing;
  }

  private touch(): void {
    this.dirty = true;
    if (this.timer === null && this.file !== null) {
      this.timer = setTimeout(() => void this.flush().catch(() => {}), FLUSH_MS);
      this.timer.unref();
    }
  }
}

/**
 * Checks a document just loaded from the store against the ledger: updates whose dependencies
 * are missing stay pending in Yjs (a record in the middle was lost), and a state vector below
 * the recorded one means records at the end were lost. Returns the findings (empty: intact)
 * and the state the room must reach to count as healed.
 */
export function inspectLoadedDoc(
  doc: Y.Doc,
  expected: StateVector | undefined,
): { findings: string[]; target: StateVector } {
  const findings: string[] = [];
  const held = Y.decodeStateVector(Y.encodeStateVector(doc));
  const target = new Map(held);
  const { pendingStructs, pendingDs } = doc.store;
  if (pendingStructs !== null) {
    findings.push('updates whose predecessors are missing (pending structs)');
    mergeSv(target, Y.parseUpdateMeta(pendingStructs.update).to);
  }
  if (pendingDs !== null) findings.push('deletions of items that are missing (pending delete set)');
  if (expected !== undefined) {
    const shortfall = svShortfall(held, expected);
    if (shortfall !== null) findings.push(`fewer items than the relay once stored: ${shortfall}`);
    mergeSv(target, expected);
  }
  return { findings, target };
}
