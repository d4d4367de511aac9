import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { usePrefs, usePrefsStore } from '../hooks';
import { isLanguage, LANGUAGES } from '../i18n';

const NATIVE_NAMES: Record<(typeof LANGUAGES)[number], string> = { en: 'English', 'zh-CN': '简体中文' };

export function LanguagePicker({ showLabel = false }: { showLabel?: boolean }) {
  const { t } = useTranslation();
  const prefs = usePrefs();
  const store = usePrefsStore();
  const id = useId();
  return (
    <div className={showLabel ? 'field' : undefined}>
      <label htmlFor={id} className={showLabel ? undefined : 'visually-hidden'}>
        {t('settings.language')}
      </label>
      <select
        id={id}
        data-testid="language-select"
        value={prefs.language}
        onChange={(e) => {
          if (isLanguage(e.target.value)) store.update({ language: e.target.value });
        }}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {NATIVE_NAMES[l]}
          </option>
        ))}
      </select>
    </div>
  );
}
