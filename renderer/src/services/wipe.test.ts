import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it, vi } from 'vitest';
import { DATABASE_NAME, wipeDevice } from './wipe';

function storage(entries: Record<string, string>) {
  const map = new Map(Object.entries(entries));
  return {
    map,
    get length() {
      return map.size;
    },
    key: (i: number) => [...map.keys()][i] ?? null,
    removeItem: (k: string) => void map.delete(k),
  };
}

async function databases(factory: IDBFactory): Promise<string[]> {
  return (await factory.databases()).map((d) => d.name ?? '');
}

describe('wipeDevice', () => {
  it('deletes the database and the app’s local entries, keeps the display preferences, reloads', async () => {
    const indexedDB = new IDBFactory();
    await new Promise<void>((resolve) => {
      const req = indexedDB.open(DATABASE_NAME);
      req.onsuccess = () => {
        req.result.close();
        resolve();
      };
    });
    expect(await databases(indexedDB)).toContain(DATABASE_NAME);
    const local = storage({
      'tally.prefs.v1': '{"theme":"dark"}',
      'tally.lock-attempts.v1': '{"failures":9}',
      'tally.other': 'x',
      'someone-else': 'y',
    });
    const reload = vi.fn();
    await wipeDevice({ indexedDB, storage: local, reload });
    expect(await databases(indexedDB)).not.toContain(DATABASE_NAME);
    expect([...local.map.keys()].sort()).toEqual(['someone-else', 'tally.prefs.v1']);
    expect(reload).toHaveBeenCalledTimes(1);
  });
});
