/**
 * A worker thread of WorkerPreparer: prepares the packed chunks it is sent (prepareChunk) with the
 * fastest primitives Node has (node-primitives.ts) and sends each result back, its buffers moved.
 */
import { parentPort } from 'node:worker_threads';
import { prepareChunk } from '../shared/ledger/entry-prep';
import { installNodePrimitives } from './node-primitives';
import type { PrepJob, PrepReply } from './worker-preparer';

await installNodePrimitives();
const port = parentPort;
if (!port) throw new Error('entry-prep.worker runs as a worker thread');
port.on('message', (job: PrepJob) => {
  let reply: PrepReply;
  try {
    const chunk = prepareChunk(job.packed, job.groupKey);
    reply = { job: job.job, chunk };
    port.postMessage(reply, [
      chunk.plaintexts.buffer as ArrayBuffer,
      chunk.lengths.buffer as ArrayBuffer,
      chunk.numbers.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    reply = { job: job.job, error: error instanceof Error ? error.message : String(error) };
    port.postMessage(reply);
  }
});
port.postMessage({ ready: true } satisfies PrepReply);
