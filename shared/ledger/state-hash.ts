/**
 * A fingerprint of a group state: hex SHA-256 of its canonical JSON (object keys sorted, no
 * whitespace, undefined members left out). Two devices with the same entries must print the same
 * hash; convergence tests and the simulation compare these instead of deep structures.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { WalletError } from '../errors';
import type { GroupState } from './types';

function write(value: unknown, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      // Non-finite numbers have no JSON form; in a state they would be a bug, not data.
      if (!Number.isFinite(value)) throw new WalletError('not_canonical', 'A state holds a non-finite number.');
      out.push(JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new WalletError('not_canonical', `A state holds a ${typeof value}, which has no canonical form.`);
  }
  if (Array.isArray(value)) {
    out.push('[');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out.push(',');
      write(value[i] === undefined ? null : value[i], out);
    }
    out.push(']');
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // Maps, Sets, Dates… would all print as {} and hide differences.
    throw new WalletError('not_canonical', 'A state holds an object that is not plain data.');
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  out.push('{');
  let first = true;
  for (const key of keys) {
    const v = record[key];
    if (v === undefined) continue;
    if (!first) out.push(',');
    first = false;
    out.push(JSON.stringify(key), ':');
    write(v, out);
  }
  out.push('}');
}

/** Canonical JSON of plain data: sorted keys (code-unit order), no whitespace, undefined omitted. */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

/** Hex SHA-256 of the state's canonical JSON. */
export function stateHash(state: GroupState): string {
  return bytesToHex(sha256(new TextEncoder().encode(canonicalJson(state))));
}
