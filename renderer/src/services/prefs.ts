/**
 * UI preferences of this device (language, theme, default currency, relay override). Kept in
 * localStorage because they are needed synchronously before the first paint.
 */
import { isCurrency } from '../../../shared/money/currencies';
import { detectLanguage, isLanguage, type Language } from '../i18n';

export type Theme = 'light' | 'dark';

export interface Prefs {
  readonly language: Language;
  readonly theme: Theme;
  readonly defaultCurrency: string;
  /** The relay the user chose; empty means "use the one the app is configured with". */
  readonly relayUrl: string;
}

const KEY = 'tally.prefs.v1';

export function defaultPrefs(languages: readonly string[], prefersDark: boolean): Prefs {
  const language = detectLanguage(languages);
  return {
    language,
    theme: prefersDark ? 'dark' : 'light',
    defaultCurrency: language === 'zh-CN' ? 'CNY' : 'USD',
    relayUrl: '',
  };
}

/** Reads stored preferences, keeping only well-formed values (a hand-edited entry cannot break the app). */
export function parsePrefs(raw: string | null, defaults: Prefs): Prefs {
  if (!raw) return defaults;
  let v: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return defaults;
    v = parsed as Record<string, unknown>;
  } catch {
    return defaults;
  }
  return {
    language: isLanguage(v.language) ? v.language : defaults.language,
    theme: v.theme === 'dark' || v.theme === 'light' ? v.theme : defaults.theme,
    defaultCurrency: isCurrency(v.defaultCurrency) ? v.defaultCurrency : defaults.defaultCurrency,
    relayUrl: typeof v.relayUrl === 'string' ? v.relayUrl : defaults.relayUrl,
  };
}

type Listener = () => void;

export class PrefsStore {
  private prefs: Prefs;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | undefined,
    defaults: Prefs,
  ) {
    let raw: string | null = null;
    try {
      raw = storage?.getItem(KEY) ?? null;
    } catch {
      raw = null;
    }
    this.prefs = parsePrefs(raw, defaults);
  }

  get = (): Prefs => this.prefs;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(patch: Partial<Prefs>): void {
    this.prefs = { ...this.prefs, ...patch };
    try {
      this.storage?.setItem(KEY, JSON.stringify(this.prefs));
    } catch {
      // Storage full or disabled: the preference still applies for this session.
    }
    for (const l of this.listeners) l();
  }
}
