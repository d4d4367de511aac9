/**
 * Loads the locale data the first screen formats with (dates, money, plural rules) while the
 * app's code is still downloading: the first formatter of each kind costs tens of milliseconds,
 * which would otherwise land on the first render.
 */

/** The UI languages the app may start in: the saved preference (services/prefs.ts) and the browser's. */
export function likelyLanguages(
  storage: Pick<Storage, 'getItem'> | undefined,
  browser: readonly string[],
): string[] {
  const out = new Set<string>();
  try {
    const saved = JSON.parse(storage?.getItem('tally.prefs.v1') ?? 'null') as { language?: unknown } | null;
    if (typeof saved?.language === 'string') out.add(saved.language);
  } catch {
    // No usable preference: the browser's language decides.
  }
  // Near enough for loading locale data (the app maps it to one of its languages later).
  if (out.size === 0 && browser[0]) out.add(browser[0]);
  return [...out];
}

export function warmUpLocales(languages: readonly string[]): void {
  for (const language of languages) {
    try {
      new Intl.DateTimeFormat(language, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        timeZone: 'UTC',
      }).format(0);
      new Intl.NumberFormat(language, { style: 'currency', currency: 'USD' }).format(0);
      new Intl.PluralRules(language).select(1);
    } catch {
      // Only a head start.
    }
  }
}
