/**
 * Node's EntryPreparer (shared/ledger/entry-prep.ts): a pool of worker threads, one per core by
 * default, each hashing and opening a contiguous share of a batch. Used by the headless client
 * and the benchmarks when a large history arrives; results are the same as in-thread (the
 * workers run the same function), which worker-preparer.test.ts checks on good and bad entries.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type EntryPreparer, fromWire, type Prepared, type PreparedWire } from '../shared/ledger/entry-prep';

export interface PrepJob {
  readonly job: number;
  readonly inputs: readonly unknown[];
  readonly groupKey: Uint8Array;
}

export type PrepReply =
  | { readonly job: number; readonly wire: PreparedWire[] }
  | { readonly job: number; readonly error: string };

interface Waiting {
  resolve(wire: PreparedWire[]): void;
  reject(error: Error): void;
}

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
  #nextJob = 0;
  #closed = false;

  constructor(options: WorkerPreparerOptions = {}) {
    this.minBatch = options.minBatch ?? 256;
    const threads = Math.max(1, options.threads ?? availableParallelism());
    this.#workers = Array.from({ length: threads }, () => {
      const worker = spawn();
      worker.on('message', (reply: PrepReply) => this.#settle(reply));
      // A dead worker fails what it had; the log then does that work itself.
      worker.on('error', (error) => this.#failAll(error));
      worker.on('exit', () => this.#failAll(new Error('an entry-prep worker exited')));
      worker.unref();
      return worker;
    });
  }

  async prepare(inputs: readonly unknown[], groupKey: Uint8Array): Promise<Prepared> {
    if (this.#closed) throw new Error('the worker preparer is closed');
    const workers = this.#workers;
    const share = Math.ceil(inputs.length / workers.length);
    const parts: Promise<PreparedWire[]>[] = [];
    for (let w = 0; w < workers.length && w * share < inputs.length; w++) {
      parts.push(this.#send(workers[w]!, inputs.slice(w * share, (w + 1) * share), groupKey));
    }
    return fromWire((await Promise.all(parts)).flat());
  }

  /** Stops the workers; pending batches fail (and are done in place by the log). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all(this.#workers.map((w) => w.terminate()));
    this.#failAll(new Error('the worker preparer is closed'));
  }

  #send(worker: Worker, inputs: readonly unknown[], groupKey: Uint8Array): Promise<PreparedWire[]> {
    const job = this.#nextJob++;
    return new Promise<PreparedWire[]>((resolve, reject) => {
      // Kept alive only while it has work, so an idle pool never holds the process open.
      worker.ref();
      const done = () => {
        this.#waiting.delete(job);
        if (this.#waiting.size === 0) for (const w of this.#workers) w.unref();
      };
      this.#waiting.set(job, {
        resolve: (wire) => {
          done();
          resolve(wire);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      worker.postMessage({ job, inputs, groupKey } satisfies PrepJob);
    });
  }

  #settle(reply: PrepReply): void {
    const waiting = this.#waiting.get(reply.job);
    if (!waiting) return;
    if ('error' in reply) waiting.reject(new Error(reply.error));
    else waiting.resolve(reply.wire);
  }

  #failAll(error: Error): void {
    for (const waiting of [...this.#waiting.values()]) waiting.reject(error);
  }
}
