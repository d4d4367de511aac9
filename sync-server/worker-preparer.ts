/**
 * Node's EntryPreparer (shared/ledger/entry-prep.ts): a pool of worker threads, one per core by
 * default. A batch is cut into chunks handed out in turn; a worker hashes, decodes, decrypts and
 * schema-checks a chunk (prepareChunk), and this thread unpacks each chunk as it returns, while
 * the workers go on with the next ones. Results are the same as in-thread,
 * which worker-preparer.test.ts checks on good and bad entries.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  type EntryPreparer,
  isPreparable,
  type PackedEntries,
  type Prepared,
  type PreparedChunk,
  packEntries,
  unpackChunk,
} from '../shared/ledger/entry-prep';

export interface PrepJob {
  readonly job: number;
  readonly packed: PackedEntries;
  readonly groupKey: Uint8Array;
}

export type PrepReply =
  | { readonly job: number; readonly chunk: PreparedChunk }
  | { readonly job: number; readonly error: string }
  /** Sent once, when the worker has loaded its code. */
  | { readonly ready: true };

interface Waiting {
  resolve(chunk: PreparedChunk): void;
  reject(error: Error): void;
}

/** Chunks per worker for a batch: enough that parsing here overlaps the workers' decrypting. */
const CHUNKS_PER_WORKER = 4;
const MIN_CHUNK = 128;

export interface WorkerPreparerOptions {
  /** Worker threads; default one per core. */
  readonly threads?: number;
  /** Smallest batch sent to the workers (below it, copying to them costs more than it saves). */
  readonly minBatch?: number;
}

const ENTRY = new URL('./entry-prep.worker.ts', import.meta.url);
const TS_BOOT = new URL('./ts-worker-boot.mjs', import.meta.url);

function spawn(): Worker {
  return ENTRY.pathname.endsWith('.ts')
    ? new Worker(TS_BOOT, { workerData: { entry: ENTRY.href } })
    : new Worker(ENTRY);
}

export class WorkerPreparer implements EntryPreparer {
  readonly minBatch: number;
  readonly #workers: Worker[];
  readonly #waiting = new Map<number, Waiting>();
  /** Workers that have loaded their code (booting one through tsx takes a good part of a second). */
  readonly #ready = new Set<Worker>();
  readonly #allReady: Promise<void>;
  #nextJob = 0;
  #closed = false;
  #batches = 0;

  constructor(options: WorkerPreparerOptions = {}) {
    this.minBatch = options.minBatch ?? 256;
    const threads = Math.max(1, options.threads ?? availableParallelism());
    let allReady!: () => void;
    this.#allReady = new Promise((resolve) => {
      allReady = resolve;
    });
    this.#workers = Array.from({ length: threads }, () => {
      const worker = spawn();
      worker.on('message', (reply: PrepReply) => {
        if ('ready' in reply) {
          this.#ready.add(worker);
          if (this.#waiting.size === 0) worker.unref();
          if (this.#ready.size === threads) allReady();
        } else this.#settle(reply);
      });
      // A dead worker fails what it had; the log then does that work itself.
      worker.on('error', (error) => this.#failAll(error));
      worker.on('exit', () => this.#failAll(new Error('an entry-prep worker exited')));
      // Held while it starts (someone may be waiting on whenReady), let go once idle.
      return worker;
    });
  }

  /** Batches the workers prepared (not counting those declined or failed), so a caller can tell they were used. */
  get batchesPrepared(): number {
    return this.#batches;
  }

  /** Resolves once every worker has started (until then a batch uses those that have, or none). */
  whenReady(): Promise<void> {
    return this.#allReady;
  }

  async prepare(inputs: readonly unknown[], groupKey: Uint8Array): Promise<Prepared | undefined> {
    if (this.#closed) throw new Error('the worker preparer is closed');
    // Waiting for a worker to start would cost more than doing the batch in place.
    const workers = this.#workers.filter((w) => this.#ready.has(w));
    if (workers.length === 0) return undefined;
    // What cannot be an entry stays undefined, as in prepareEntries; the rest goes out in chunks.
    const prepared: Prepared = new Array(inputs.length).fill(undefined);
    const sendable: number[] = [];
    for (let i = 0; i < inputs.length; i++) if (isPreparable(inputs[i])) sendable.push(i);
    const size = Math.max(MIN_CHUNK, Math.ceil(sendable.length / (workers.length * CHUNKS_PER_WORKER)));
    const parts: Promise<void>[] = [];
    for (let from = 0, k = 0; from < sendable.length; from += size, k++) {
      const indices = sendable.slice(from, from + size);
      const packed = packEntries(indices.map((i) => inputs[i] as Uint8Array));
      parts.push(
        this.#send(workers[k % workers.length]!, packed, groupKey).then((chunk) => {
          const entries = unpackChunk(chunk, indices.length);
          for (let j = 0; j < indices.length; j++) prepared[indices[j]!] = entries[j];
        }),
      );
    }
    await Promise.all(parts);
    this.#batches++;
    return prepared;
  }

  /** Stops the workers; pending batches fail (and are done in place by the log). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#failAll(new Error('the worker preparer is closed'));
  }

  #send(worker: Worker, packed: PackedEntries, groupKey: Uint8Array): Promise<PreparedChunk> {
    const job = this.#nextJob++;
    return new Promise<PreparedChunk>((resolve, reject) => {
      // Kept alive only while it has work, so an idle pool never holds the process open.
      worker.ref();
      const done = () => {
        this.#waiting.delete(job);
        if (this.#waiting.size === 0) for (const w of this.#ready) w.unref();
      };
      this.#waiting.set(job, {
        resolve: (chunk) => {
          done();
          resolve(chunk);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      // The packed bytes are this chunk's own copy: moved, not cloned.
      worker.postMessage({ job, packed, groupKey } satisfies PrepJob, [
        packed.bytes.buffer as ArrayBuffer,
        packed.lengths.buffer as ArrayBuffer,
      ]);
    });
  }

  #settle(reply: Exclude<PrepReply, { readonly ready: true }>): void {
    const waiting = this.#waiting.get(reply.job);
    if (!waiting) return;
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.chunk);
  }

  #failAll(error: Error): void {
    for (const waiting of [...this.#waiting.values()]) waiting.reject(error);
  }
}
