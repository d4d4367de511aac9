/**
 * A worker thread of WorkerPreparer: hashes and opens its share of a batch with Node's native
 * primitives and sends the results back in structured-clone form.
 */
import { parentPort } from 'node:worker_threads';
import { prepareEntries, toWire } from '../shared/ledger/entry-prep';
import { installNodePrimitives } from './node-primitives';
import type { PrepJob, PrepReply } from './worker-preparer';

installNodePrimitives();
const port = parentPort;
if (!port) throw new Error('entry-prep.worker runs as a worker thread');
port.on('message', (job: PrepJob) => {
  let reply: PrepReply;
  try {
    reply = { job: job.job, wire: toWire(prepareEntries(job.inputs, job.groupKey)) };
  } catch (error) {
    reply = { job: job.job, error: error instanceof Error ? error.message : String(error) };
  }
  port.postMessage(reply);
});
