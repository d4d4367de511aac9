import { describe, expect, it } from 'vitest';
import { generateGroupKey } from '../crypto/group-key';
import { bytesToHex } from '../crypto/hash';
import { GroupLog } from '../ledger/group-log';
import { keyOpenerFor } from '../ledger/key-rotation';
import { deviceLog, rotationGroup, stateOf } from '../ledger/rotation-testkit';
import { chat, newGroup, twoAuthorHistory } from '../ledger/test-fixtures';
import { exportBackup, exportLogBackup, importBackup } from './backup';

async function sampleLog() {
  const { g, alice, entries } = await twoAuthorHistory(1);
  entries.push(await alice.write(chat('bye')));
  const log = new GroupLog(g);
  await log.ingest(entries.map((e) => e.bytes));
  return { g, log, entries, alice };
}

function fileOf(json: string) {
  return JSON.parse(json) as { entries: string[]; [k: string]: unknown };
}

describe('JSON backup', () => {
  it('exports the signed log without the group key and imports it back', async () => {
    const { g, log } = await sampleLog();
    const json = exportLogBackup(log, new Date('2025-02-01T10:00:00Z'));
    const file = fileOf(json);
    expect(file).toMatchObject({
      format: 'tally-backup',
      version: 1,
      groupId: g.groupId,
      exportedAt: '2025-02-01T10:00:00.000Z',
    });
    expect(file.entries).toEqual(log.entries().map((e) => bytesToHex(e.bytes)));
    expect(json).not.toContain(bytesToHex(g.groupKey));

    const r = await importBackup(json, g);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.exportedAt).toBe('2025-02-01T10:00:00.000Z');
    expect(r.value.log.canonicalEntries().map((e) => e.id)).toEqual(log.canonicalEntries().map((e) => e.id));
  });

  it('keeps fork evidence through a round trip', async () => {
    const { g, log, alice, entries } = await sampleLog();
    const fork = await alice.write(chat('another seq 2'), { seq: 2, prev: entries[0]!.id });
    await log.add(fork.bytes);
    expect(log.forks()).toHaveLength(1);
    const r = await importBackup(exportLogBackup(log), g);
    expect(r.ok && r.value.log.forks()).toEqual(log.forks());
    expect(r.ok && r.value.log.size).toBe(entries.length + 1);
  });

  it('refuses a tampered backup as a whole, naming the entry', async () => {
    const { g, log } = await sampleLog();
    const file = fileOf(exportLogBackup(log));
    const hex = file.entries[3]!;
    file.entries[3] = hex.slice(0, 300) + (hex[300] === '0' ? '1' : '0') + hex.slice(301);
    const r = await importBackup(JSON.stringify(file), g);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('backup_entry_invalid');
    expect(r.error.details).toMatchObject({ index: 3, code: 'bad_signature' });
    expect(r.error.message).toMatch(/entry #3/);
  });

  it('refuses a backup with an entry missing from the middle of a chain', async () => {
    const { g, log } = await sampleLog();
    const file = fileOf(exportLogBackup(log));
    file.entries.splice(2, 1);
    const r = await importBackup(JSON.stringify(file), g);
    expect(r.ok ? 'ok' : r.error.details).toMatchObject({ code: 'chain_broken', index: 3 });
  });

  it('refuses a backup with an entry whose lamport leads too far (protocol.md §7), naming why', async () => {
    const { g, alice, entries } = await sampleLog();
    const far = await alice.write(chat('far ahead'), { lamport: 2 ** 53 - 3, time: 1_700_000_000_000 });
    const r = await importBackup(
      exportBackup(
        g.groupId,
        [...entries, far].map((e) => e.bytes),
      ),
      g,
    );
    expect(r.ok ? 'ok' : r.error.details).toMatchObject({ id: far.id });
    expect(r.ok ? '' : r.error.message).toMatch(/leads the backup's other entries/);
  });

  it('a rotated group: imports with the device’s epoch keys, refuses without them', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo']);
    const [ann, bo] = members;
    const rotation = await ann!.rotate(stateOf(g, entries));
    bo!.key = ann!.key;
    const later = await bo!.say('under epoch 1');
    const log = deviceLog(g, bo!);
    await log.ingest([...entries, rotation, later].map((e) => e.bytes));
    const json = exportLogBackup(log);
    const r = await importBackup(json, { ...g, keyOpener: keyOpenerFor(ann!.identity, g.groupId) });
    expect(r.ok && r.value.log.size).toBe(entries.length + 2);
    const without = await importBackup(json, g);
    expect(without.ok ? 'ok' : without.error.details).toMatchObject({ code: 'decrypt_failed', id: later.id });
  });

  it('refuses the wrong key with the failing entry named', async () => {
    const { g, log } = await sampleLog();
    const r = await importBackup(exportLogBackup(log), { groupId: g.groupId, groupKey: generateGroupKey() });
    expect(r.ok ? 'ok' : r.error.details).toMatchObject({ code: 'decrypt_failed', index: 0 });
  });

  it.each([
    ['not json', '{oops', 'backup_malformed'],
    ['another format', JSON.stringify({ format: 'other', version: 1 }), 'backup_malformed'],
    [
      'a future version',
      JSON.stringify({ format: 'tally-backup', version: 2 }),
      'backup_unsupported_version',
    ],
  ])('refuses %s', async (_name, json, code) => {
    const g = newGroup();
    const r = await importBackup(json, g);
    expect(r.ok ? 'ok' : r.error.code).toBe(code);
  });

  it('refuses bad fields and another group', async () => {
    const g = newGroup();
    const good = JSON.parse(exportBackup(g.groupId, [])) as Record<string, unknown>;
    const variant = async (patch: Record<string, unknown>) => {
      const r = await importBackup(JSON.stringify({ ...good, ...patch }), g);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(await variant({})).toBe('ok');
    expect(await variant({ entries: ['abc'] })).toBe('backup_malformed');
    expect(await variant({ entries: ['ABCD'] })).toBe('backup_malformed');
    expect(await variant({ exportedAt: 'yesterday' })).toBe('backup_malformed');
    expect(await variant({ groupKey: '00' })).toBe('backup_malformed');
    expect(await variant({ groupId: newGroup().groupId })).toBe('backup_wrong_group');
  });
});
