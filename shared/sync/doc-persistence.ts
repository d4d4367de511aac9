/**
 * Saving and loading one group's Y.Doc. The stored document (megabytes for a large group) is
 * applied only when something needs it; changes are saved debounced as appended updates, and
 * once COMPACT_DOC_AFTER have piled up the next save writes the whole document as one update
 * (encoding it costs ~36 ms for 10,000 entries, too much for every save). Saves run one at a
 * time, so a compaction never drops an update appended beside it.
 */
import * as Y from 'yjs';
import type { GroupId } from '../ledger/types';
import type { Store } from './store';

/**
 * Appended document updates kept before they are compacted into one state. Compacting encodes
 * the whole document (about 36 ms and 6.7 MB for 10,000 entries), so it runs once per this
 * many saves instead of on every save.
 */
export const COMPACT_DOC_AFTER = 64;

/**
 * Y.mergeUpdates costs several times what encoding the whole document does per byte (measured:
 * ~180 ms to merge twenty 500-entry updates, against ~36 ms to encode all 10,000 entries). When
 * the changes to save are at least this fraction of everything stored, the save writes the whole
 * document instead of merging them (a long import's saves).
 */
const COMPACT_WHEN_CHANGES_REACH = 1 / 8;

/** Origin of the transaction that applies the stored document: not news, nothing to check or save. */
export const RESTORE = Symbol('restore');

export interface DocPersistenceOptions {
  readonly store: Store;
  readonly groupId: GroupId;
  readonly doc: Y.Doc;
  /** Delay before saving after a change. Default 500 ms. */
  readonly persistDelayMs?: number | undefined;
  /** Runs once the stored document is applied (or could not be read), before `loaded` resolves. */
  readonly onLoaded: () => void;
  /** A load or a background save failed (in words). */
  readonly onError: (message: string) => void;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class DocPersistence {
  readonly #o: DocPersistenceOptions;
  #state: 'waiting' | 'loading' | 'loaded' = 'waiting';
  #closed = false;
  /** Changes to the document since it was loaded or last saved, in order. */
  #unsaved: Uint8Array[] = [];
  /** The store holds enough appended updates to fold them into one compacted state. */
  #compact = false;
  /** Bytes of document updates the store holds for this group (what a compaction would replace). */
  #storedBytes = 0;
  /** The save in progress. */
  #saving: Promise<void> = Promise.resolve();
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly loaded: Promise<void>;
  #resolveLoaded!: () => void;

  constructor(options: DocPersistenceOptions) {
    this.#o = options;
    this.loaded = new Promise((resolve) => {
      this.#resolveLoaded = resolve;
    });
  }

  /** 'waiting' until something needs the stored document. */
  get state(): 'waiting' | 'loading' | 'loaded' {
    return this.#state;
  }

  /** Starts applying the stored document (once). */
  startLoad(): void {
    if (this.#state !== 'waiting' || this.#closed) return;
    this.#state = 'loading';
    void this.#load().finally(() => {
      this.#state = 'loaded';
      this.#resolveLoaded();
    });
  }

  /** Resolves once the stored document is in (starting to load it if needed). */
  loadNow(): Promise<void> {
    this.startLoad();
    return this.loaded;
  }

  async #load(): Promise<void> {
    const { store, groupId, doc } = this.#o;
    try {
      const saved = await store.getDocUpdates(groupId);
      if (this.#closed) return;
      for (const update of saved) this.#storedBytes += update.length;
      doc.transact(() => {
        for (const update of saved) Y.applyUpdate(doc, update, RESTORE);
      }, RESTORE);
      if (saved.length >= COMPACT_DOC_AFTER) {
        this.#compact = true;
        this.persistSoon();
      }
    } catch (error) {
      if (this.#closed) return;
      // The relay still has what the document held: syncing fetches it again.
      this.#o.onError(`Could not load the sync state: ${messageOf(error)}`);
    }
    this.#o.onLoaded();
  }

  /** Document changes not yet written to the store. */
  get unsavedCount(): number {
    return this.#unsaved.length;
  }

  /** A change to the document (not from the restore): saved soon, after the stored document is in. */
  track(update: Uint8Array): void {
    this.#unsaved.push(update);
    // Someone uses the document: it must hold the stored one before it is saved.
    this.startLoad();
    this.persistSoon();
  }

  persistSoon(): void {
    if (this.#timer !== undefined || this.#closed) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      void this.persistNow().catch((error: unknown) => {
        this.#o.onError(`Could not save the sync state: ${messageOf(error)}`);
      });
    }, this.#o.persistDelayMs ?? 500);
  }

  async persistNow(): Promise<void> {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#closed) return;
    // Saving before the stored document is in would drop what only it holds.
    await this.loadNow();
    if (this.#closed) return;
    const save = this.#saving.then(() => this.#save());
    this.#saving = save.catch(() => undefined);
    await save;
  }

  /** Appends the changes since the last save as one update, or compacts when enough have piled up. */
  async #save(): Promise<void> {
    if (this.#closed || (this.#unsaved.length === 0 && !this.#compact)) return;
    const { store, groupId, doc } = this.#o;
    const changes = this.#unsaved;
    this.#unsaved = [];
    try {
      let changedBytes = 0;
      for (const c of changes) changedBytes += c.length;
      const large =
        changes.length > 1 && changedBytes >= (this.#storedBytes + changedBytes) * COMPACT_WHEN_CHANGES_REACH;
      if (this.#compact || large) {
        this.#compact = false;
        // The whole document holds `changes` too: one write replaces everything saved before.
        const state = Y.encodeStateAsUpdate(doc);
        await store.putDocState(groupId, state);
        this.#storedBytes = state.length;
        return;
      }
      const update = changes.length === 1 ? changes[0]! : Y.mergeUpdates(changes);
      const stored = await store.appendDocUpdate(groupId, update);
      this.#storedBytes += update.length;
      if (stored >= COMPACT_DOC_AFTER) {
        this.#compact = true;
        this.persistSoon();
      }
    } catch (error) {
      // Keep them (in order, before anything newer) for the next save.
      this.#unsaved = [...changes, ...this.#unsaved];
      throw error;
    }
  }

  /** No more loads or saves; whoever waits for the document stops waiting. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#resolveLoaded();
  }
}
