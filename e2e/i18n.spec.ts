/**
 * Switching the UI to Simplified Chinese and back: every main screen shows the translated
 * strings, and no English UI text is left anywhere on them (checked against en.json itself,
 * so a string added later without a translation fails here).
 */
import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { addExpense, expect, openGroup, openTab, SYNC_TIMEOUT, startGroup, type Tab, test } from './fixtures';

type Messages = { [key: string]: string | Messages };
const load = (lang: string) =>
  JSON.parse(readFileSync(new URL(`../renderer/src/i18n/${lang}.json`, import.meta.url), 'utf8')) as Messages;
const en = load('en');
const zh = load('zh-CN');

function flatten(m: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(m)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const enFlat = flatten(en);
const zhFlat = flatten(zh);

/** The literal pieces of every English string (between {{placeholders}}) that Chinese does not share. */
function englishFragments(): string[] {
  const out = new Set<string>();
  for (const [key, text] of enFlat) {
    const translated = zhFlat.get(key.replace(/_(one|other)$/, '_other')) ?? '';
    for (const piece of text.split(/\{\{[^}]+\}\}/)) {
      const fragment = piece
        .trim()
        .replace(/^[:·,.()]+|[:·,.()]+$/g, '')
        .trim();
      if (!/[A-Za-z]{2}/.test(fragment)) continue; // punctuation, "%", single letters
      if (translated.includes(fragment)) continue; // the same in both (e.g. "Tally", "CSV")
      out.add(fragment);
    }
  }
  return [...out];
}
const ENGLISH = englishFragments();
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Visible text plus the labels people hear or see in fields: placeholders, aria-labels, titles. */
async function uiText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const attrs = [...document.querySelectorAll('[placeholder], [aria-label], [title], img[alt]')]
      .filter((el) => (el as HTMLElement).offsetParent !== null || el.tagName === 'OUTPUT')
      .flatMap((el) => ['placeholder', 'aria-label', 'title', 'alt'].map((a) => el.getAttribute(a) ?? ''));
    // biome-ignore lint/performance/useDomNodeTextContent: only what is rendered visibly counts here
    return [document.body.innerText, ...attrs].join('\n');
  });
}

const englishIn = (text: string) =>
  ENGLISH.filter((f) => new RegExp(`(^|[^A-Za-z])${escapeRegExp(f)}($|[^A-Za-z])`).test(text));

async function expectNoEnglish(page: Page, screen: string): Promise<void> {
  expect(englishIn(await uiText(page)), `English UI text left on the ${screen} screen`).toEqual([]);
}

const zhText = (key: string) => {
  const v = zhFlat.get(key);
  if (v === undefined) throw new Error(`zh-CN.json has no ${key}`);
  return v;
};

/** Translated strings each screen must show, straight from zh-CN.json. */
const CHINESE: Record<Tab | 'groups' | 'settings', string[]> = {
  groups: ['groups.title', 'nav.newGroup', 'nav.join', 'groups.name', 'groups.myBalance'],
  expenses: [
    'group.tabs.expenses',
    'expenses.add',
    'expenses.search',
    'expenses.paidBy',
    'categories.groceries',
  ],
  balances: ['balances.planTitle', 'balances.recordTitle', 'balances.historyTitle', 'balances.record'],
  chat: ['chat.requestPayment', 'chat.send', 'group.tabs.chat'],
  reconcile: ['reconcile.arrivedTitle', 'reconcile.noConflicts', 'reconcile.problemsTitle'],
  export: ['export.csvTitle', 'export.downloadCsv', 'export.backupTitle'],
  invite: ['invite.title', 'invite.copy'],
  settings: [
    'settings.title',
    'settings.profile',
    'settings.theme',
    'settings.themes.dark',
    'settings.language',
  ],
};

async function expectChinese(page: Page, screen: keyof typeof CHINESE): Promise<void> {
  for (const key of CHINESE[screen])
    await expect(page.getByText(zhText(key)).filter({ visible: true }).first()).toBeVisible();
  await expectNoEnglish(page, screen);
}

async function chooseLanguage(page: Page, language: 'en' | 'zh-CN'): Promise<void> {
  await page.goto('/#/settings');
  await page.getByTestId('language-select').selectOption(language);
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

test('switching to 简体中文 translates every main screen, and switching back restores English', async ({
  device,
}) => {
  test.setTimeout(150_000);
  // Names and content in Chinese, so any Latin text on screen can only be untranslated UI.
  const an = await device('小安');
  const bo = await device('小博');
  const { groupId } = await startGroup([an, bo], '三号公寓', 'CNY');
  await addExpense(an.page, { description: '超市采购', amount: '182.40', category: 'groceries' });
  await openGroup(an.page, groupId, 'chat');
  await an.page.getByTestId('chat-input').fill('今晚吃火锅？');
  await an.page.getByTestId('chat-send').click();
  await expect(an.page.getByTestId('chat-message')).toHaveCount(1);
  await openGroup(an.page, groupId, 'balances');
  await expect(an.page.getByTestId('plan-line')).toHaveCount(1, { timeout: SYNC_TIMEOUT });

  await chooseLanguage(an.page, 'zh-CN');
  await expectChinese(an.page, 'settings');
  await expect(an.page.getByTestId('language-select')).toHaveValue('zh-CN');
  await an.page.goto('/#/');
  await expectChinese(an.page, 'groups');
  await expect(an.page.getByTestId('group-balance')).toHaveText('别人欠你 ¥91.20');
  await openGroup(an.page, groupId, 'expenses');
  for (const tab of ['expenses', 'balances', 'chat', 'reconcile', 'export', 'invite'] as const) {
    await openTab(an.page, tab);
    await expectChinese(an.page, tab);
  }
  // Amounts and sentences with values are translated too, not only the fixed labels.
  await openTab(an.page, 'balances');
  await expect(an.page.getByTestId('plan-line')).toContainText('小博 付给 小安（我） ¥91.20');

  // The choice is stored: a reload starts in Chinese.
  await an.page.reload();
  await expect(an.page.getByTestId('balances-tab')).toBeVisible();
  await expectChinese(an.page, 'balances');
  await expect(an.page).toHaveTitle(zhText('app.title'));

  // And back to English, with no Chinese UI text left (user content aside).
  await chooseLanguage(an.page, 'en');
  await expect(an.page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await openGroup(an.page, groupId, 'balances');
  await expect(an.page.getByText('Fewest transfers to settle up')).toBeVisible();
  await expect(an.page.getByTestId('plan-line')).toContainText('小博 pays 小安 (you) CN¥91.20');
  const text = await uiText(an.page);
  // The detector used on the Chinese screens does see English when it is there.
  expect(englishIn(text)).toEqual(
    expect.arrayContaining(['Fewest transfers to settle up', 'Record payment']),
  );
  const chineseUi = [...zhFlat.values()]
    .flatMap((v) => v.split(/\{\{[^}]+\}\}/))
    .map((f) => f.trim())
    .filter((f) => /\p{Script=Han}{2}/u.test(f) && text.includes(f));
  expect(chineseUi).toEqual([]);
});
