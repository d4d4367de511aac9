/**
 * How the sealed fields of a row become bytes before encryption (dexie-at-rest.ts): UTF-8 JSON,
 * with byte arrays (group keys, the identity secret) as `{"$bytes": "<base64>"}` and -0 as
 * `{"$-0": 1}` (IndexedDB's structured clone keeps -0, and so must this: the store contract checks
 * it). Lone surrogates survive: JSON.stringify escapes them. JSON keeps the hot path (opening 10k
 * cached events) to one native parse.
 *
 * Only what JSON keeps exactly is accepted: a Date, Map, Set, bigint or non-finite number would
 * come back as something else, so it is refused (`at_rest_unsupported_value`) at write time
 * instead of changing silently.
 */
import { WalletError } from '../errors';

const BYTES_TAG = '$bytes';
const NEG_ZERO_TAG = '$-0';
/** Only structure (a tag) can contain this: inside a JSON string every `"` is escaped. */
const TAG_MARK = '{"$';
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

function fromBase64(text: string): Uint8Array {
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function unsupported(what: string): WalletError {
  return new WalletError('at_rest_unsupported_value', `a sealed field cannot hold ${what}`);
}

function replacer(this: unknown, key: string, value: unknown): unknown {
  // `this[key]` is the value before toJSON (a Date is still a Date here).
  const raw = (this as Record<string, unknown>)[key];
  if (raw instanceof Uint8Array) return { [BYTES_TAG]: toBase64(raw) };
  if (typeof raw === 'number' && !Number.isFinite(raw)) throw unsupported(String(raw));
  if (Object.is(raw, -0)) return { [NEG_ZERO_TAG]: 1 };
  if (typeof raw === 'bigint') throw unsupported('a bigint');
  if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
    const proto = Object.getPrototypeOf(raw);
    if (proto !== Object.prototype && proto !== null)
      throw unsupported(`a ${proto?.constructor?.name ?? 'class'}`);
  }
  return value;
}

function reviver(_key: string, value: unknown): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const v = value as Record<string, unknown>;
    const b64 = v[BYTES_TAG];
    if (typeof b64 === 'string' && Object.keys(v).length === 1) return fromBase64(b64);
    if (v[NEG_ZERO_TAG] === 1 && Object.keys(v).length === 1) return -0;
  }
  return value;
}

/** @throws WalletError `at_rest_unsupported_value` for what JSON would not give back as it was. */
export function encodeFields(fields: Readonly<Record<string, unknown>>): Uint8Array {
  return utf8.encode(JSON.stringify(fields, replacer));
}

export function decodeFields(bytes: Uint8Array): Record<string, unknown> {
  const text = utf8Decoder.decode(bytes);
  return JSON.parse(text, text.includes(TAG_MARK) ? reviver : undefined) as Record<string, unknown>;
}
