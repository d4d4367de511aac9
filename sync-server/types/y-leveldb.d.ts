// y-leveldb ships typings under dist/ but its package "exports" map does not point at them,
// so TypeScript cannot find them. This declares the part the relay uses. Every method runs in
// y-leveldb's internal transaction queue, which logs and swallows errors and then resolves
// `null`: hence the `| null` in each result.
declare module 'y-leveldb' {
  import type * as Y from 'yjs';

  export class LeveldbPersistence {
    constructor(location: string, opts?: { Level?: unknown; levelOptions?: object });
    /** Internal but typed upstream: runs `f` with the raw level instance, serialised with all other calls. */
    _transact<T>(f: (db: unknown) => Promise<T>): Promise<T | null>;
    getYDoc(docName: string): Promise<Y.Doc | null>;
    /** Resolves the clock of the stored update. */
    storeUpdate(docName: string, update: Uint8Array): Promise<number | null>;
    flushDocument(docName: string): Promise<undefined | null>;
    setMeta(docName: string, metaKey: string, value: unknown): Promise<undefined | null>;
    /** `undefined` when the key is missing. */
    getMeta(docName: string, metaKey: string): Promise<unknown>;
    getAllDocNames(): Promise<string[] | null>;
    destroy(): Promise<undefined | null>;
  }
}
