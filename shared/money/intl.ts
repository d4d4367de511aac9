/**
 * Cached Intl.NumberFormat instances (constructing one costs far more than using it) and the
 * separators a locale uses. Internal to the money module.
 */

const formats = new Map<string, Intl.NumberFormat>();
const MAX_CACHED = 256;

/** A locale Intl accepts, or undefined (the runtime's default) for a malformed tag. */
export function usableLocale(locale: string | undefined): string | undefined {
  if (locale === undefined) return undefined;
  try {
    return Intl.getCanonicalLocales(locale)[0];
  } catch {
    return undefined;
  }
}

export function numberFormat(
  locale: string | undefined,
  options: Intl.NumberFormatOptions,
): Intl.NumberFormat {
  const loc = usableLocale(locale);
  const key = `${loc ?? ''}|${JSON.stringify(options)}`;
  let nf = formats.get(key);
  if (!nf) {
    if (formats.size >= MAX_CACHED) formats.clear();
    nf = new Intl.NumberFormat(loc, options);
    formats.set(key, nf);
  }
  return nf;
}

export interface LocaleSeparators {
  /** Decimal separator, e.g. "." (en) or "," (de, fr). */
  readonly decimal: string;
  /** Grouping separator, e.g. "," (en), "." (de), U+202F (fr); "" if the locale shows none. */
  readonly group: string;
  /** Size of the groups left of the first one: 3 almost everywhere, 2 in India (12,34,567). */
  readonly secondaryGroupSize: number;
}

const separators = new Map<string, LocaleSeparators>();

export function localeSeparators(locale: string | undefined): LocaleSeparators {
  const loc = usableLocale(locale);
  const key = loc ?? '';
  let seps = separators.get(key);
  if (!seps) {
    const parts = numberFormat(loc, { useGrouping: true }).formatToParts(1234567.5);
    const integers = parts.filter((p) => p.type === 'integer').map((p) => p.value.length);
    seps = {
      decimal: parts.find((p) => p.type === 'decimal')?.value ?? '.',
      group: parts.find((p) => p.type === 'group')?.value ?? '',
      secondaryGroupSize: integers.length >= 3 ? integers[integers.length - 2]! : 3,
    };
    if (separators.size >= MAX_CACHED) separators.clear();
    separators.set(key, seps);
  }
  return seps;
}
