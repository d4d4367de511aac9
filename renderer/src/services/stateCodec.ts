/**
 * A compact text form of a folded group state, for the view cache (viewCache.ts).
 *
 * Plain JSON of a 10,000-entry state is ~11 MB: every expense repeats 64-character member and
 * entry ids a dozen times, and each version repeats the data object its expense also points to.
 * Here long strings are written once in a table and referred to by index, and an object or
 * array met again is a back-reference, so the text is about a third of the size, still parses
 * with one `JSON.parse` (objects keep their field names, which V8 parses fastest), and comes
 * back with the sharing it had.
 *
 * Only JSON-like values are accepted (plain objects, arrays, strings, finite numbers, booleans,
 * null; `undefined` object fields are dropped as JSON does); anything else throws
 * StateCodecError, and the caller then does not cache.
 */

const FORMAT = 1;
/** Strings this long or longer go to the table (ids are 32 or 64 characters). */
const INTERN_MIN = 16;
// Leading characters of encoded strings, followed by a decimal index. Printable (JSON escapes
// control characters), and a string that starts with one by itself is escaped, so both are
// unambiguous.
/** A string from the table. */
const INTERNED = '¶';
/** An object or array met earlier, by visiting order. */
const REF = '§';
/** A string that began with a marker character. */
const ESCAPED = '¤';
const INTERNED_CODE = INTERNED.charCodeAt(0);
const REF_CODE = REF.charCodeAt(0);
const ESCAPED_CODE = ESCAPED.charCodeAt(0);

interface Packed {
  readonly f: number;
  /** Interned strings. */
  readonly s: string[];
  readonly d: unknown;
}

export class StateCodecError extends Error {}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function isMarked(s: string): boolean {
  const c = s.charCodeAt(0);
  return c === INTERNED_CODE || c === REF_CODE || c === ESCAPED_CODE;
}

/** Encodes a JSON-like value; throws StateCodecError on anything JSON could not carry faithfully. */
export function packState(value: unknown): string {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const seen = new Map<object, number>();

  const encode = (v: unknown): unknown => {
    switch (typeof v) {
      case 'string': {
        if (v.length < INTERN_MIN) return isMarked(v) ? ESCAPED + v : v;
        let i = stringIndex.get(v);
        if (i === undefined) {
          i = strings.length;
          strings.push(v);
          stringIndex.set(v, i);
        }
        return INTERNED + i;
      }
      case 'number':
        if (!Number.isFinite(v)) throw new StateCodecError('a number that JSON cannot carry');
        return v;
      case 'boolean':
        return v;
      case 'object': {
        if (v === null) return null;
        const ref = seen.get(v);
        if (ref !== undefined) return REF + ref;
        seen.set(v, seen.size);
        if (Array.isArray(v)) {
          const out = new Array<unknown>(v.length);
          for (let i = 0; i < v.length; i++) {
            if (v[i] === undefined) throw new StateCodecError('an array holds undefined');
            out[i] = encode(v[i]);
          }
          return out;
        }
        if (!isPlainObject(v)) throw new StateCodecError('not a plain object');
        const out: Record<string, unknown> = {};
        for (const [key, field] of Object.entries(v)) {
          // JSON.parse would make it an own field, and assigning it back would set the prototype.
          if (key === '__proto__') throw new StateCodecError('a field named __proto__');
          if (field !== undefined) out[key] = encode(field);
        }
        return out;
      }
      default:
        throw new StateCodecError(`a value of type ${typeof v}`);
    }
  };

  const packed: Packed = { f: FORMAT, s: strings, d: encode(value) };
  return JSON.stringify(packed);
}

/** Decodes what packState wrote; throws StateCodecError when the text is not such a value. */
export function unpackState(text: string): unknown {
  let packed: Packed;
  try {
    packed = JSON.parse(text) as Packed;
  } catch {
    throw new StateCodecError('not JSON');
  }
  if (packed === null || typeof packed !== 'object' || packed.f !== FORMAT || !Array.isArray(packed.s)) {
    throw new StateCodecError('not a packed state');
  }
  const strings = packed.s;
  const refs: object[] = [];

  const lookup = <T>(table: readonly T[], marked: string, what: string): T => {
    // Hand-parsed decimal: this runs for most values of a large state.
    let n = 0;
    for (let i = 1; i < marked.length; i++) {
      const digit = marked.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) throw new StateCodecError(`${what} is not a number`);
      n = n * 10 + digit;
    }
    const found = marked.length > 1 ? table[n] : undefined;
    if (found === undefined) throw new StateCodecError(`${what} out of range`);
    return found;
  };

  // Rewrites the fresh tree from JSON.parse in place: no node is copied.
  const decode = (v: unknown): unknown => {
    if (typeof v === 'string') {
      switch (v.charCodeAt(0)) {
        case INTERNED_CODE:
          return lookup(strings, v, 'a string index');
        case REF_CODE:
          return lookup(refs, v, 'a reference');
        case ESCAPED_CODE:
          return v.slice(1);
        default:
          return v;
      }
    }
    if (v === null || typeof v !== 'object') return v;
    refs.push(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) v[i] = decode(v[i]);
      return v;
    }
    const obj = v as Record<string, unknown>;
    for (const key in obj) {
      if (key === '__proto__') throw new StateCodecError('a field named __proto__');
      const field = obj[key];
      if (typeof field === 'string' || (typeof field === 'object' && field !== null))
        obj[key] = decode(field);
    }
    return obj;
  };

  return decode(packed.d);
}
