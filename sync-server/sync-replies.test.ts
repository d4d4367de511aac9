import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { FullStateReply, MESSAGE_SYNC, syncReply } from './sync-replies';

const EMPTY_VECTOR = Y.encodeStateVector(new Y.Doc());

function docWith(values: number): Y.Doc {
  const doc = new Y.Doc();
  const map = doc.getMap<Uint8Array>('entries');
  for (let i = 0; i < values; i++) map.set(`k${i}`, new Uint8Array(100).fill(i));
  return doc;
}

/** Applies a sync-step-2 message to a fresh document (or `into`). */
function applyReply(message: Uint8Array, into = new Y.Doc()): Y.Doc {
  const decoder = decoding.createDecoder(message);
  expect(decoding.readVarUint(decoder)).toBe(MESSAGE_SYNC);
  expect(decoding.readVarUint(decoder)).toBe(1); // sync step 2
  Y.applyUpdate(into, decoding.readVarUint8Array(decoder));
  return into;
}

describe('sync replies', () => {
  it('answers every "send me everything" with one shared buffer until the room changes', () => {
    const doc = docWith(20);
    const full = new FullStateReply(doc);
    const first = syncReply(doc, EMPTY_VECTOR, full);
    // Same object: N requests hold one copy, whatever N is.
    expect(syncReply(doc, EMPTY_VECTOR, full)).toBe(first);
    expect(applyReply(first).getMap('entries').size).toBe(20);
    doc.getMap<Uint8Array>('entries').set('new', new Uint8Array([1]));
    const second = syncReply(doc, EMPTY_VECTOR, full);
    expect(second).not.toBe(first);
    expect(applyReply(second).getMap('entries').size).toBe(21);
  });

  it('treats a vector that knows none of the writers as a request for everything', () => {
    const doc = docWith(5);
    const full = new FullStateReply(doc);
    const stranger = new Y.Doc();
    stranger.getMap('other').set('x', 1); // knows itself only
    expect(syncReply(doc, Y.encodeStateVector(stranger), full)).toBe(full.message);
  });

  it('sends a peer that is partly up to date only what it lacks', () => {
    const doc = docWith(50);
    const full = new FullStateReply(doc);
    const peer = applyReply(full.message);
    doc.getMap<Uint8Array>('entries').set('later', new Uint8Array([9]));
    const diff = syncReply(doc, Y.encodeStateVector(peer), full);
    expect(diff.byteLength).toBeLessThan(full.message.byteLength / 10);
    applyReply(diff, peer);
    expect(peer.getMap('entries').get('later')).toEqual(new Uint8Array([9]));
  });

  it('throws on a malformed state vector', () => {
    const doc = docWith(1);
    expect(() => syncReply(doc, new Uint8Array([5, 0xff]), new FullStateReply(doc))).toThrow();
  });
});
