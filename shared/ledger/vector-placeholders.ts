/**
 * Placeholders in the JSON ledger vectors (docs/vectors/*.json): "@x" stands for the id of key x,
 * "#n" for the id of entry n of the same ledger, anywhere in an event.
 */
export function resolvePlaceholders(
  value: unknown,
  keys: Readonly<Record<string, string>>,
  ids: readonly string[],
): unknown {
  if (typeof value === 'string') {
    if (value.startsWith('@')) return keys[value.slice(1)];
    if (value.startsWith('#')) return ids[Number(value.slice(1))];
    return value;
  }
  if (Array.isArray(value)) return value.map((v) => resolvePlaceholders(v, keys, ids));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v, keys, ids)]));
  }
  return value;
}
