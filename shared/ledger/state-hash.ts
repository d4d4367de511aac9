/**
 * A fingerprint of a group state: hex SHA-256 of its canonical JSON (object keys sorted, no
 * whitespace, undefined members left out). Two devices with the same entries must print the same
 * hash; convergence tests and the simulation compare these instead of deep structures.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';
import type { GroupState } from './types';

function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      // Non-finite numbers have no JSON form; in a state they would be a bug, not data.
      if (!Number.isFinite(value))
        throw new WalletError('not_canonical', 'A state holds a non-finite number.');
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new WalletError('not_canonical', `A state holds a ${typeof value}, which has no canonical form.`);
  }
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += write(value[i] === undefined ? null : value[i]);
    }
    return `${out}]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // Maps, Sets, Dates… would all print as {} and hide differences.
    throw new WalletError('not_canonical', 'A state holds an object that is not plain data.');
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (out.length > 1) out += ',';
    out += `${JSON.stringify(key)}:${write(v)}`;
  }
  return `${out}}`;
}

/** Canonical JSON of plain data: sorted keys (code-unit order), no whitespace, undefined omitted. */
export function canonicalJson(value: unknown): string {
  return write(value);
}

/** Hex SHA-256 of the state's canonical JSON. */
export function stateHash(state: GroupState): string {
  return bytesToHex(sha256(new TextEncoder().encode(canonicalJson(state))));
}
