/**
 * Key rotation and linked devices (protocol §15 with §16): a rotation seals the new key to each
 * linked device that published its own X25519 key, never to an unlinked one, and unlinking a
 * device that holds the current key asks for a rotation.
 */
import { describe, expect, it } from 'vitest';
import { signDeviceCertificate } from '../crypto/device-cert';
import { fold } from './fold';
import { newRotation } from './key-rotation';
import { deviceLog, RotatingAuthor, rotationGroup, stateOf } from './rotation-testkit';
import type { TestGroup } from './test-fixtures';

/** Ann's second device, linked by its own `device.linked` (with or without its X25519 key). */
async function linkDevice(g: TestGroup, person: RotatingAuthor, withX25519 = true) {
  const device = new RotatingAuthor(g);
  const cert = signDeviceCertificate(person.identity, device.id, 1_700_000_000_000, 'Laptop');
  const linked = await device.put({
    type: 'device.linked',
    ...cert,
    ...(withX25519 ? { x25519: device.x25519 } : {}),
  });
  return { device, linked };
}

type Log = ReturnType<typeof deviceLog>;
const foldLog = (log: Log) => fold(log.entries()[0]!.header.groupId, log.entries());
const chatTexts = (log: Log) => foldLog(log).chat.map((m) => m.text);

describe('key rotation with linked devices', () => {
  it('seals the new key to a linked device, which then reads and writes the new epoch as its person', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo', 'Cy']);
    const [ann, bo, cy] = members;
    const { device, linked } = await linkDevice(g, ann!);
    entries.push(linked, await ann!.put({ type: 'member.removed', member: cy!.id }));
    const before = stateOf(g, entries);
    expect(before.devices?.[0]).toMatchObject({ device: device.id, person: ann!.id, x25519: device.x25519 });
    const rotation = newRotation(before, bo!.id);
    expect(rotation.event.sealed.map((s) => s.member).sort()).toEqual([ann!.id, bo!.id, device.id].sort());
    const rotated = await bo!.put(rotation.event);
    bo!.key = rotation.key;
    entries.push(rotated, await bo!.say('after the rotation'));

    const onDevice = deviceLog(g, device);
    await onDevice.ingest(entries.map((e) => e.bytes));
    expect(onDevice.unreadableCount).toBe(0);
    expect(chatTexts(onDevice)).toEqual(['after the rotation']);
    expect(onDevice.rotationKey(rotated.id)).toEqual(rotation.key);

    // The device writes under the new key; everyone folds it as Ann's.
    device.key = rotation.key;
    const fromDevice = await device.say('from the laptop');
    const onBo = deviceLog(g, bo!);
    await onBo.ingest([...entries, fromDevice].map((e) => e.bytes));
    expect(onBo.unreadableCount).toBe(0);
    const said = foldLog(onBo).chat.find((m) => m.text === 'from the laptop');
    expect(said?.author).toBe(ann!.id);

    // The removed member reads nothing after the rotation, the device's entry included.
    const onCy = deviceLog(g, cy!);
    await onCy.ingest([...entries, fromDevice].map((e) => e.bytes));
    expect(onCy.unreadableCount).toBe(2);
  });

  it('unlinking a device that holds the key asks for a rotation that leaves it out', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo']);
    const [ann, bo] = members;
    const { device, linked } = await linkDevice(g, ann!);
    entries.push(linked);
    const first = await bo!.rotate(stateOf(g, entries));
    entries.push(first);
    expect(stateOf(g, entries).keys).toMatchObject({ epoch: 1, needsRotation: false });
    expect(stateOf(g, entries).keys!.rotations[0]!.recipients).toContain(device.id);

    entries.push(await ann!.put({ type: 'device.unlinked', device: device.id }));
    const unlinked = stateOf(g, entries);
    expect(unlinked.keys).toMatchObject({ epoch: 1, needsRotation: true });
    const second = await ann!.rotate(unlinked);
    entries.push(second, await ann!.say('after the unlink'));
    const after = stateOf(g, entries);
    expect(after.ignored).toEqual([]);
    expect(after.keys).toMatchObject({ epoch: 2, needsRotation: false });
    expect(after.keys!.rotations[1]!.recipients).toEqual([ann!.id, bo!.id].sort());

    const onDevice = deviceLog(g, device);
    await onDevice.ingest(entries.map((e) => e.bytes));
    expect(onDevice.unreadableCount).toBe(1);
    expect(chatTexts(onDevice)).not.toContain('after the unlink');
  });

  it('unlinking a device in epoch 0 asks for a rotation (it got the group key with its link)', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo']);
    const [ann] = members;
    const { device, linked } = await linkDevice(g, ann!);
    entries.push(linked);
    expect(stateOf(g, entries).keys!.needsRotation).toBe(false);
    entries.push(await ann!.put({ type: 'device.unlinked', device: device.id }));
    expect(stateOf(g, entries).keys!.needsRotation).toBe(true);
  });

  it('ignores a rotation sealed to an unlinked device, or to a key the device did not publish', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo']);
    const [ann, bo] = members;
    const { device, linked } = await linkDevice(g, ann!);
    entries.push(linked);
    const sealedToDevice = newRotation(stateOf(g, entries), bo!.id).event;
    const wrongKey = await bo!.put({
      ...sealedToDevice,
      sealed: sealedToDevice.sealed.map((s) => (s.member === device.id ? { ...s, x25519: bo!.x25519 } : s)),
    });
    entries.push(wrongKey, await ann!.put({ type: 'device.unlinked', device: device.id }));
    entries.push(await bo!.put(sealedToDevice));
    const s = stateOf(g, entries);
    expect(s.ignored.map((i) => i.code)).toEqual(['x25519_mismatch', 'sealed_to_unlinked']);
    expect(s.keys!.epoch).toBe(0);
  });

  it('keeps no X25519 key for a device that its person linked (only the device vouches for its own)', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo']);
    const [ann, bo] = members;
    const device = new RotatingAuthor(g);
    const cert = signDeviceCertificate(ann!.identity, device.id, 1_700_000_000_000);
    entries.push(await ann!.put({ type: 'device.linked', ...cert, x25519: bo!.x25519 }));
    const s = stateOf(g, entries);
    expect(s.devices?.[0]?.device).toBe(device.id);
    expect(s.devices?.[0]?.x25519).toBeUndefined();
    expect(newRotation(s, bo!.id).event.sealed.map((x) => x.member)).not.toContain(device.id);
  });

  it('a device without an X25519 key is simply not sealed to', async () => {
    const { g, members, entries } = await rotationGroup(['Ann', 'Bo']);
    const [ann, bo] = members;
    const { device, linked } = await linkDevice(g, ann!, false);
    entries.push(linked);
    const sealed = newRotation(stateOf(g, entries), bo!.id).event.sealed.map((s) => s.member);
    expect(sealed.sort()).toEqual([ann!.id, bo!.id].sort());
    expect(sealed).not.toContain(device.id);
  });
});
