/**
 * UI preferences of this device (language, theme, default currency, relay override). Kept in
 * localStorage because they are needed synchronously before the first paint.
 */
import { isCurrency } from '../../../shared/money/currencies';
import { detectLanguage, isLanguage, type Language } from '../i18n';
import { DEFAULT_NOTICE_SETTINGS, type NoticeSettings, parseNoticeSettings } from '../lib/notices';
import { REMINDER_DAYS_CHOICES } from '../lib/reminders';
import { parseLimits, type SpendLimits } from '../lib/spendLimit';

export type Theme = 'light' | 'dark';

export interface Prefs {
  readonly language: Language;
  readonly theme: Theme;
  readonly defaultCurrency: string;
  /** The relay the user chose; empty means "use the one the app is configured with". */
  readonly relayUrl: string;
  /** App lock: lock after this many idle minutes (0: never). */
  readonly lockIdleMinutes: number;
  /** App lock: erase this device's data after this many wrong passcodes (0: never, the default). */
  readonly wipeAfter: number;
  /** Amounts shown as ••• until clicked (lib/privacy.ts). */
  readonly privacyMode: boolean;
  /** Per currency: recording more than this needs the passcode again (lib/spendLimit.ts). */
  readonly spendLimits: SpendLimits;
  /** Native notifications per kind (lib/notices.ts). */
  readonly notices: NoticeSettings;
  /** Whether notifications name groups, people and amounts while the app is locked (off by default). */
  readonly noticeDetailsWhenLocked: boolean;
  /** Remind of recurring expenses due within this many days (0: never; lib/reminders.ts). */
  readonly reminderDays: number;
}

export const IDLE_MINUTES_CHOICES = [0, 1, 5, 15, 30, 60] as const;
export const WIPE_AFTER_CHOICES = [0, 10, 20] as const;
const isChoice = (choices: readonly number[], v: unknown): v is number =>
  typeof v === 'number' && choices.includes(v);

const KEY = 'tally.prefs.v1';

export function defaultPrefs(languages: readonly string[], prefersDark: boolean): Prefs {
  const language = detectLanguage(languages);
  return {
    language,
    theme: prefersDark ? 'dark' : 'light',
    defaultCurrency: language === 'zh-CN' ? 'CNY' : 'USD',
    relayUrl: '',
    lockIdleMinutes: 5,
    wipeAfter: 0,
    privacyMode: false,
    spendLimits: {},
    notices: DEFAULT_NOTICE_SETTINGS,
    noticeDetailsWhenLocked: false,
    reminderDays: 1,
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
    lockIdleMinutes: isChoice(IDLE_MINUTES_CHOICES, v.lockIdleMinutes)
      ? v.lockIdleMinutes
      : defaults.lockIdleMinutes,
    wipeAfter: isChoice(WIPE_AFTER_CHOICES, v.wipeAfter) ? v.wipeAfter : defaults.wipeAfter,
    privacyMode: typeof v.privacyMode === 'boolean' ? v.privacyMode : defaults.privacyMode,
    spendLimits: v.spendLimits === undefined ? defaults.spendLimits : parseLimits(v.spendLimits),
    notices: v.notices === undefined ? defaults.notices : parseNoticeSettings(v.notices),
    noticeDetailsWhenLocked:
      typeof v.noticeDetailsWhenLocked === 'boolean'
        ? v.noticeDetailsWhenLocked
        : defaults.noticeDetailsWhenLocked,
    reminderDays: isChoice(REMINDER_DAYS_CHOICES, v.reminderDays) ? v.reminderDays : defaults.reminderDays,
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
