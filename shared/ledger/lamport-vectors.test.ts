import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import file from '../../docs/vectors/lamport.json';
import { hexToBytes } from '../crypto/hash';
import { GroupLog } from './group-log';
import { LAMPORT_LEAD_BOUND } from './lamport-rule';
import { buildLamportVectors } from './lamport-vectors';

const secrets = { groupId: file.group.groupId, groupKey: hexToBytes(file.group.groupKey) };
const byName = new Map(file.entries.map((e) => [e.name, e]));
const bytesOf = (name: string) => hexToBytes(byName.get(name)!.bytes);
const namesOf = (entries: readonly { id: string }[]) =>
  entries.map((e) => file.entries.find((v) => v.id === e.id)!.name).sort();

describe('lamport rule test vectors (docs/vectors/lamport.json)', () => {
  it('re-derive byte for byte from their inputs', async () => {
    const text = readFileSync(join(import.meta.dirname, '../../docs/vectors/lamport.json'), 'utf8');
    expect(`${JSON.stringify(await buildLamportVectors(), null, 2)}\n`).toBe(text);
    expect(file.bound).toBe(LAMPORT_LEAD_BOUND);
  });

  for (const c of file.cases) {
    it(`${c.description}: batch, one by one and reversed agree`, async () => {
      const orders = [c.given, [...c.given].reverse()];
      const logs: GroupLog[] = [];
      for (const order of orders) {
        const batch = new GroupLog(secrets);
        await batch.ingest(order.map(bytesOf));
        const oneByOne = new GroupLog(secrets);
        for (const name of order) await oneByOne.add(bytesOf(name));
        logs.push(batch, oneByOne);
      }
      for (const log of logs) {
        expect(namesOf(log.entries())).toEqual([...c.accepted].sort());
        expect(namesOf(log.pendingEntries())).toEqual([...c.waiting].sort());
        expect(log.maxLamport + 1).toBe(c.nextLamport);
        expect(log.nextHeaderFor(file.identities[0]!.publicKey).lamport).toBe(c.nextLamport);
      }
    });
  }
});
