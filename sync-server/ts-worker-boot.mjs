// Starts a worker whose entry is TypeScript (the sync server runs from source through tsx, and
// a worker thread does not inherit tsx's loader): loads `workerData.entry` through tsx.
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
