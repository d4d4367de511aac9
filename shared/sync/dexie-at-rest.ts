/**
 * Encryption at rest for the Dexie store: a DBCore middleware seals the sensitive fields of a row
 * before IndexedDB sees it and opens them on every read, so the rest of the app reads and writes
 * plain objects as before.
 *
 * A sealed row keeps its primary key and indexed fields in the clear (IndexedDB needs them to
 * find and order rows; none is sensitive: ids, hashes, counters, times, statuses) and carries the
 * sealed fields as one `$sealed` value: device-key.ts's sealRecord of their JSON
 * (at-rest-codec.ts), bound to the row's table and primary key. Which fields are sealed:
 * `SEALED_FIELDS` below; docs/threat-model.md lists what stays plain and why.
 *
 * The middleware sits below Dexie's own (level -10): hooks, caches and live queries above it
 * only ever see plain rows. Rows without `$sealed` are rows from before encryption: read as they
 * are until the migration (at-rest-migration.ts) has sealed the whole table, refused after.
 */
import type { DBCore, DBCoreCursor, DBCoreTable, Middleware } from 'dexie';
import { openRecord, sealRecord } from '../crypto/device-key';
import { WalletError } from '../errors';
import { decodeFields, encodeFields } from './at-rest-codec';

export const SEALED = '$sealed';

/** Per table, the fields sealed at rest (never indexed: the middleware checks). */
export const SEALED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  /** The group's name and keys, and its relay (which says who the group talks to). */
  groups: ['name', 'groupKey', 'relayUrl', 'epochKeys', 'inviteRelayToken'],
  /** The identity's secret (on desktop already wrapped by the keychain inside). */
  identity: ['secretKey'],
  /** The decrypted event cached with each entry: expenses, payments, chat, names. */
  entries: ['event'],
  /** The cached folded state: everything the group screens show. */
  views: ['state'],
  /** Settings: the display name and whatever the app keeps there. */
  settings: ['value'],
  /** Why an entry was refused: messages may quote what arrived. */
  rejected: ['message'],
};

/**
 * The device key while the store is unlocked, and which tables are known to hold only sealed
 * rows. One per open store; the app's lock drops the key (`lock`).
 */
export class AtRestKeyring {
  #key: Uint8Array | undefined;
  readonly #sealedTables = new Set<string>();

  get locked(): boolean {
    return this.#key === undefined;
  }

  /** Keeps a copy of `deviceKey` (the caller may wipe its own). */
  unlock(deviceKey: Uint8Array): void {
    this.#key?.fill(0);
    this.#key = deviceKey.slice();
  }

  /** Forgets the key: reads of sealed rows and every write to a sealed table fail until `unlock`. */
  lock(): void {
    this.#key?.fill(0);
    this.#key = undefined;
  }

  /** @throws WalletError `at_rest_locked` while locked. */
  key(): Uint8Array {
    if (!this.#key) throw new WalletError('at_rest_locked', 'The wallet is locked.');
    return this.#key;
  }

  /** From now on a plain row in `table` is refused (`at_rest_unsealed`): the migration sealed every one. */
  markSealed(table: string): void {
    this.#sealedTables.add(table);
  }

  isSealed(table: string): boolean {
    return this.#sealedTables.has(table);
  }
}

type Row = Record<string, unknown>;

function primaryKeyOf(table: DBCoreTable): (row: Row) => unknown {
  const { keyPath, outbound } = table.schema.primaryKey;
  if (outbound || keyPath === null) {
    throw new WalletError(
      'at_rest_key_unsupported',
      `table ${table.name} has no inbound primary key to seal rows by`,
    );
  }
  if (Array.isArray(keyPath)) return (row) => keyPath.map((p) => row[p]);
  return (row) => row[keyPath as string];
}

function assertNotIndexed(table: DBCoreTable, fields: readonly string[]): void {
  const paths = [table.schema.primaryKey, ...table.schema.indexes].flatMap((i) =>
    i.keyPath === null ? [] : Array.isArray(i.keyPath) ? i.keyPath : [i.keyPath],
  );
  const clash = fields.find((f) => paths.includes(f));
  if (clash)
    throw new WalletError('at_rest_indexed_field', `${table.name}.${clash} is indexed and cannot be sealed`);
}

/** Seals and opens the rows of one table. */
function rowCipher(
  name: string,
  fields: readonly string[],
  keyOf: (row: Row) => unknown,
  keyring: AtRestKeyring,
) {
  return {
    seal(row: Row): Row {
      const out: Row = {};
      const secret: Row = {};
      for (const [k, v] of Object.entries(row)) {
        if (fields.includes(k)) {
          if (v !== undefined) secret[k] = v;
        } else if (k !== SEALED) out[k] = v;
      }
      out[SEALED] = sealRecord(keyring.key(), name, keyOf(row), encodeFields(secret));
      return out;
    },
    open(row: unknown): unknown {
      if (row === undefined || row === null) return row;
      const r = row as Row;
      const sealed = r[SEALED];
      if (sealed === undefined) {
        if (keyring.isSealed(name)) {
          throw new WalletError('at_rest_unsealed', `a ${name} row is stored in the clear after encryption`, {
            table: name,
          });
        }
        return row;
      }
      const secret = decodeFields(openRecord(keyring.key(), name, keyOf(r), sealed));
      const { [SEALED]: _sealed, ...out } = r;
      for (const k of fields) {
        const v = secret[k];
        if (v !== undefined) out[k] = v;
      }
      return out;
    },
  };
}

/** A cursor whose `value` is the opened row (each position opened once). */
function openingCursor(cursor: DBCoreCursor, open: (row: unknown) => unknown): DBCoreCursor {
  let raw: unknown;
  let opened: unknown;
  return Object.create(cursor, {
    value: {
      get() {
        const value = cursor.value;
        if (value !== raw) {
          raw = value;
          opened = open(value);
        }
        return opened;
      },
    },
  }) as DBCoreCursor;
}

/** The middleware; `fields` defaults to SEALED_FIELDS (tests pass others). */
export function atRestMiddleware(
  keyring: AtRestKeyring,
  fields: Readonly<Record<string, readonly string[]>> = SEALED_FIELDS,
): Middleware<DBCore> {
  return {
    stack: 'dbcore',
    name: 'AtRest',
    level: -10,
    create(down) {
      return {
        ...down,
        table(name) {
          const table = down.table(name);
          const sealedFields = fields[name];
          if (!sealedFields) return table;
          assertNotIndexed(table, sealedFields);
          const cipher = rowCipher(name, sealedFields, primaryKeyOf(table), keyring);
          return {
            ...table,
            mutate(req) {
              if (req.type !== 'add' && req.type !== 'put') return table.mutate(req);
              return table.mutate({ ...req, values: req.values.map((v: Row) => cipher.seal(v)) });
            },
            get: (req) => table.get(req).then((v) => cipher.open(v)),
            getMany: (req) => table.getMany(req).then((vs) => vs.map((v) => cipher.open(v))),
            query: (req) =>
              table
                .query(req)
                .then((res) =>
                  req.values ? { ...res, result: res.result.map((v) => cipher.open(v)) } : res,
                ),
            openCursor: (req) =>
              table
                .openCursor(req)
                .then((c) => (c && req.values ? openingCursor(c, (v) => cipher.open(v)) : c)),
          };
        },
      };
    },
  };
}
