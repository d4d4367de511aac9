/**
 * Encryption at rest in the app: the service a lock screen uses, an existing installation sealed
 * on first start, and the raw-storage scan: after a real session (a group, an expense, a chat
 * message) nothing sensitive is anywhere in what IndexedDB holds, in any common encoding.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { DexieStore } from '../../../shared/sync/dexie-store';
import { MemoryNetwork } from '../../../shared/sync/memory-network';
import { AtRestService } from './atRest';
import { type WalletDeps, WalletService } from './wallet';

const FAST = { logN: 10, r: 8, p: 1 };

function service(indexedDB: IDBFactory) {
  return new AtRestService({ store: { name: 'tally', indexedDB, IDBKeyRange }, passcodeCost: FAST });
}

function walletOn(network: MemoryNetwork, openStore: () => Promise<DexieStore>) {
  const deps: WalletDeps = {
    openStore,
    transport: () => network.transport,
    configuredRelay: async () => 'ws://relay.test:1234',
    protectSecret: async (secret) => ({ bytes: secret, wrapped: false }),
    unprotectSecret: async () => {
      throw new Error('not wrapped');
    },
    secretProtection: async () => false,
    notify: () => undefined,
    acquireWriterLock: async () => true,
    now: () => Date.now(),
    fallbackRelay: 'ws://fallback.test:1234',
  };
  return new WalletService({ get: () => ({ relayUrl: '' }) }, deps);
}

// ------------------------------------------------------------------ the raw-storage scan

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** Every key, index key and value IndexedDB holds in the database, read without the app's code. */
async function rawContents(indexedDB: IDBFactory, name: string): Promise<unknown[]> {
  const db = await request(indexedDB.open(name));
  const out: unknown[] = [];
  const stores = [...db.objectStoreNames];
  const tx = db.transaction(stores, 'readonly');
  for (const s of stores) {
    const store = tx.objectStore(s);
    out.push(...(await request(store.getAll())), ...(await request(store.getAllKeys())));
    for (const i of [...store.indexNames]) {
      await new Promise<void>((resolve, reject) => {
        const req = store.index(i).openKeyCursor();
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const cursor = req.result;
          if (!cursor) return resolve();
          out.push(cursor.key);
          cursor.continue();
        };
      });
    }
  }
  db.close();
  return out;
}

/** Strings and byte runs anywhere inside `value`. */
function flatten(value: unknown, strings: string[], bytes: Uint8Array[], seen = new Set<unknown>()): void {
  if (typeof value === 'string') strings.push(value);
  else if (value instanceof ArrayBuffer) bytes.push(new Uint8Array(value));
  else if (ArrayBuffer.isView(value))
    bytes.push(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
  else if (value !== null && typeof value === 'object' && !seen.has(value)) {
    seen.add(value);
    for (const [k, v] of Object.entries(value)) {
      strings.push(k);
      flatten(v, strings, bytes, seen);
    }
  }
}

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const utf16le = (s: string) => {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    out[2 * i] = s.charCodeAt(i) & 255;
    out[2 * i + 1] = s.charCodeAt(i) >> 8;
  }
  return out;
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

function includesBytes(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Which needles occur in the raw contents: texts in UTF-8, UTF-16LE and Latin-1; keys as bytes, base64url, base64 and hex. */
function scan(
  contents: unknown[],
  texts: Record<string, string>,
  keys: Record<string, Uint8Array>,
): string[] {
  const strings: string[] = [];
  const bytes: Uint8Array[] = [];
  flatten(contents, strings, bytes);
  // Strings are also searched as the bytes an encoder would write for them.
  const hay = [...bytes, ...strings.map((s) => new TextEncoder().encode(s)), ...strings.map(utf16le)];
  const needles: [string, Uint8Array][] = [];
  for (const [label, text] of Object.entries(texts)) {
    needles.push([`${label} utf-8`, new TextEncoder().encode(text)], [`${label} utf-16le`, utf16le(text)]);
    if ([...text].every((c) => c.charCodeAt(0) < 256)) needles.push([`${label} latin-1`, ascii(text)]);
  }
  for (const [label, key] of Object.entries(keys)) {
    needles.push(
      [`${label} bytes`, key],
      [`${label} base64url`, ascii(b64url(key))],
      [`${label} base64`, ascii(b64(key).replace(/=+$/, ''))],
      [`${label} hex`, ascii(hex(key))],
      [`${label} HEX`, ascii(hex(key).toUpperCase())],
    );
  }
  return needles.filter(([, n]) => hay.some((h) => includesBytes(h, n))).map(([label]) => label);
}

describe('AtRestService', () => {
  it('first run: unlocked with nothing protecting the key; a passcode then locks the next start', async () => {
    const indexedDB = new IDBFactory();
    const first = service(indexedDB);
    const store = await first.openStore();
    expect(first.getSnapshot()).toEqual({ protection: 'none', locked: false, firstRun: true });
    await store.setSetting('displayName', 'Ann');
    const recovery = await first.setPasscode('correct horse');
    expect(first.getSnapshot().protection).toBe('passcode');
    expect(first.hasPasscode()).toBe(true);
    first.lock();
    expect(first.isLocked()).toBe(true);
    await expect(store.getSetting('displayName')).rejects.toMatchObject({ code: 'at_rest_locked' });
    await store.close();

    let fastLoads = 0;
    const next = new AtRestService({
      store: { name: 'tally', indexedDB, IDBKeyRange },
      passcodeCost: FAST,
      fastCrypto: async () => {
        fastLoads++;
      },
    });
    let opened: DexieStore | undefined;
    const opening = next.openStore().then((s) => {
      opened = s;
      return s;
    });
    await vi.waitFor(() => expect(next.getSnapshot().protection).toBe('passcode'));
    expect(next.getSnapshot()).toMatchObject({ locked: true, firstRun: false });
    await expect(next.unlockWithPasscode('wrong horse')).rejects.toMatchObject({ code: 'wrong_passcode' });
    await new Promise((r) => setTimeout(r, 20));
    expect(opened).toBeUndefined();
    // The fast cipher is fetched only once there is something to open.
    expect(fastLoads).toBe(0);
    await next.unlockWithPasscode('correct horse');
    const reopened = await opening;
    expect(fastLoads).toBe(1);
    expect(await reopened.getSetting('displayName')).toBe('Ann');
    next.lock();
    await next.unlockWithRecoveryKey(recovery);
    expect(await reopened.getSetting('displayName')).toBe('Ann');
    await reopened.close();
  });

  it('seals an existing installation on first start, and the wallet shows the same groups', async () => {
    const indexedDB = new IDBFactory();
    const network = new MemoryNetwork();
    const old = walletOn(network, () => new DexieStore({ name: 'tally', indexedDB, IDBKeyRange }).open());
    await old.start();
    await old.createIdentity('Ann');
    const groupId = await old.createGroup('Flat 3B', 'CNY');
    await old.session(groupId)!.sendMessage('see you at 8');
    await old.stop();

    const atRest = service(indexedDB);
    const sealed = walletOn(network, () => atRest.openStore());
    await sealed.start();
    expect(sealed.getSnapshot()).toMatchObject({ phase: 'ready', me: { name: 'Ann' } });
    expect(sealed.getSnapshot().groups.map((g) => g.name)).toEqual(['Flat 3B']);
    await vi.waitFor(() =>
      expect(
        sealed
          .session(groupId)!
          .getSnapshot()
          .state?.chat.map((c) => c.text),
      ).toEqual(['see you at 8']),
    );
    await sealed.stop();
    const contents = await rawContents(indexedDB, 'tally');
    expect(scan(contents, { group: 'Flat 3B', chat: 'see you at 8' }, {})).toEqual([]);
  });

  it('raw-storage scan: no group name, description, chat text or key anywhere in IndexedDB', async () => {
    const indexedDB = new IDBFactory();
    const network = new MemoryNetwork();
    const atRest = service(indexedDB);
    let store: DexieStore | undefined;
    const wallet = walletOn(network, async () => {
      store = await atRest.openStore();
      return store;
    });
    await wallet.start();
    await wallet.createIdentity('Quentin Xylophone');
    const groupId = await wallet.createGroup('Zebra Lounge 7731', 'EUR');
    const session = wallet.session(groupId)!;
    const me = wallet.getSnapshot().me!.id;
    await session.addExpense({
      description: 'Quokka tacos für Ärzte',
      currency: 'EUR',
      amount: 4250,
      date: '2026-03-01',
      payers: [{ member: me, amount: 4250 }],
      split: { mode: 'equal', members: [me] },
    });
    await session.sendMessage('meet at the blue door 鸟');
    // The view cache is written a moment after the state settles: wait for it, it holds everything.
    await vi.waitFor(async () => expect(await store!.getView(groupId)).toBeDefined(), { timeout: 10_000 });
    const groupKey = (await store!.getGroup(groupId))!.groupKey;
    const secretKey = (await store!.getIdentity())!.secretKey;
    await wallet.stop();

    const contents = await rawContents(indexedDB, 'tally');
    const texts = {
      group: 'Zebra Lounge 7731',
      description: 'Quokka tacos für Ärzte',
      chat: 'meet at the blue door 鸟',
      name: 'Quentin Xylophone',
    };
    const keys = { groupKey, secretKey };
    expect(scan(contents, texts, keys)).toEqual([]);

    // The scan finds them where they are: the same session on a plain store shows every one.
    const plainDb = new IDBFactory();
    const plain = walletOn(network, () =>
      new DexieStore({ name: 'tally', indexedDB: plainDb, IDBKeyRange }).open(),
    );
    await plain.start();
    await plain.createIdentity('Quentin Xylophone');
    const plainGroup = await plain.createGroup('Zebra Lounge 7731', 'EUR');
    await plain.session(plainGroup)!.sendMessage('meet at the blue door 鸟');
    const plainStore = new DexieStore({ name: 'tally', indexedDB: plainDb, IDBKeyRange });
    const plainKey = (await plainStore.getGroup(plainGroup))!.groupKey;
    await plainStore.close();
    await plain.stop();
    const found = scan(await rawContents(plainDb, 'tally'), texts, { groupKey: plainKey });
    expect(found).toEqual(
      expect.arrayContaining([
        'group utf-8',
        'group utf-16le',
        'group latin-1',
        'chat utf-8',
        'name utf-8',
        'groupKey bytes',
      ]),
    );
  });
});
