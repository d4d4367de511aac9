/**
 * Shared steps of the end-to-end tests. Each "device" is its own browser context, so it has its
 * own IndexedDB and therefore its own identity, exactly like three people on three computers.
 */
import {
  test as base,
  type Browser,
  type BrowserContext,
  expect,
  type Locator,
  type Page,
} from '@playwright/test';
import { type NetworkSwitch, networkSwitch } from './network';

export { expect };

export type Tab = 'expenses' | 'balances' | 'chat' | 'reconcile' | 'export' | 'invite';

/** The relay e2e/server.mjs starts (the web app learns it from /config.json). */
export const RELAY_URL = `ws://127.0.0.1:${process.env.E2E_RELAY_PORT ?? 4466}`;

/** Long enough for three devices on a loaded two-core machine; every wait is still bounded. */
export const SYNC_TIMEOUT = 45_000;

export interface DeviceOptions {
  readonly language?: 'en' | 'zh-CN';
  readonly theme?: 'light' | 'dark';
}

export interface Device {
  readonly name: string;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly network: NetworkSwitch;
}

/** A fresh context (= device), with the app's preferences set before its first paint. */
export async function openDevice(browser: Browser, name: string, opts: DeviceOptions = {}): Promise<Device> {
  const language = opts.language ?? 'en';
  const context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    locale: language === 'zh-CN' ? 'zh-CN' : 'en-US',
    colorScheme: opts.theme ?? 'light',
    timezoneId: 'Asia/Shanghai',
    permissions: ['clipboard-read', 'clipboard-write'],
    acceptDownloads: true,
  });
  const network = await networkSwitch(context);
  const page = await context.newPage();
  return { name, context, page, network };
}

export const test = base.extend<{ device: (name: string, opts?: DeviceOptions) => Promise<Device> }>({
  device: async ({ browser }, use) => {
    const opened: Device[] = [];
    await use(async (name, opts) => {
      const d = await openDevice(browser, name, opts);
      opened.push(d);
      return d;
    });
    for (const d of opened) await d.context.close();
  },
});

// ---------------------------------------------------------------- first run, groups

/** First run: the welcome screen asks only for a display name. */
export async function firstRun(page: Page, name: string): Promise<void> {
  await page.goto('/');
  await page.getByTestId('welcome-name').fill(name);
  await page.getByTestId('welcome-submit').click();
  await expect(page.getByTestId('groups-screen')).toBeVisible();
}

export function groupIdFromUrl(page: Page): string {
  const m = /#\/g\/([0-9a-f]{32})/.exec(page.url());
  if (!m?.[1]) throw new Error(`not on a group page: ${page.url()}`);
  return m[1];
}

/** Creates a group and returns its id and the app invite link shown on the invite tab. */
export async function createGroup(
  page: Page,
  name: string,
  currency: string,
): Promise<{ groupId: string; invite: string }> {
  await page.getByTestId('new-group-link').click();
  await page.getByTestId('new-group-name').fill(name);
  await page.getByTestId('new-group-currency').selectOption(currency);
  await page.getByTestId('new-group-submit').click();
  await expect(page.getByTestId('invite-tab')).toBeVisible();
  await expect(page.getByTestId('group-name')).toHaveText(name);
  const invite = await page.getByTestId('invite-app-link').inputValue();
  expect(invite).toMatch(/^tally:\/\/join\?/);
  return { groupId: groupIdFromUrl(page), invite };
}

/** Pastes an invite on the join screen and waits until the group's history has arrived. */
export async function joinGroup(page: Page, invite: string, groupName: string): Promise<string> {
  await page.goto('/#/join');
  await page.getByTestId('join-link').fill(invite);
  await page.getByTestId('join-check').click();
  await expect(page.getByTestId('group-name')).toHaveText(groupName, { timeout: SYNC_TIMEOUT });
  return groupIdFromUrl(page);
}

export async function openGroup(page: Page, groupId: string, tab: Tab = 'expenses'): Promise<void> {
  await page.goto(`/#/g/${groupId}/${tab}`);
  await expect(page.getByTestId(`${tab}-tab`)).toBeVisible({ timeout: SYNC_TIMEOUT });
}

export async function openTab(page: Page, tab: Tab): Promise<void> {
  await page.getByTestId(`tab-${tab}`).click();
  await expect(page.getByTestId(`${tab}-tab`)).toBeVisible();
}

/** Waits until this device's sync indicator says everything is through the relay. */
export async function expectSynced(page: Page): Promise<void> {
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-status', 'synced', {
    timeout: SYNC_TIMEOUT,
  });
}

// ---------------------------------------------------------------- expenses

/** Selects the option of a member select whose text is `name` or `name (you)`. */
export async function selectMember(select: Locator, name: string): Promise<void> {
  const value = await select.evaluate((el, wanted) => {
    const options = [...(el as HTMLSelectElement).options];
    const hit = options.find((o) => o.text === wanted || o.text.startsWith(`${wanted} (`));
    return hit?.value ?? null;
  }, name);
  if (!value) throw new Error(`no member called ${name} in the select`);
  await select.selectOption(value);
}

export interface ExpenseSpec {
  readonly description: string;
  /** As typed, e.g. "182.40". */
  readonly amount: string;
  /** Display name of the payer; default: this device's member. */
  readonly paidBy?: string;
  /** A built-in category id (e.g. "groceries"); default "general". */
  readonly category?: string;
  readonly note?: string;
  /** YYYY-MM-DD; default today. */
  readonly date?: string;
}

/** Adds an expense split equally among everyone, through the editor. */
export async function addExpense(page: Page, e: ExpenseSpec): Promise<void> {
  await openTab(page, 'expenses');
  const before = await page.getByTestId('expense-row').count();
  await page.getByTestId('add-expense').click();
  await fillExpense(page, e);
  await page.getByTestId('save-expense').click();
  await expect(page.getByTestId('expenses-tab')).toBeVisible();
  await expect(page.getByTestId('expense-row')).toHaveCount(before + 1);
}

export async function fillExpense(page: Page, e: Partial<ExpenseSpec>): Promise<void> {
  await expect(page.getByTestId('expense-form')).toBeVisible();
  if (e.description !== undefined) await page.getByTestId('expense-description-input').fill(e.description);
  if (e.amount !== undefined) await page.getByTestId('expense-amount-input').fill(e.amount);
  if (e.paidBy !== undefined) await selectMember(page.getByTestId('payer-member').first(), e.paidBy);
  if (e.category !== undefined) await page.getByTestId('expense-category').selectOption(e.category);
  if (e.note !== undefined) await page.getByTestId('expense-note').fill(e.note);
  if (e.date !== undefined) await page.getByTestId('expense-date').fill(e.date);
}

export function expenseRow(page: Page, description: string) {
  return page.getByTestId('expense-row').filter({
    has: page.getByTestId('expense-description').getByText(description, { exact: true }),
  });
}

/** Opens an expense in the editor, changes its amount and saves: an edit based on the version shown. */
export async function editExpenseAmount(page: Page, description: string, amount: string): Promise<void> {
  await openTab(page, 'expenses');
  await expenseRow(page, description).getByTestId('expense-description').click();
  // The detail view first; editing is one more click.
  await page.getByTestId('expense-edit').click();
  await fillExpense(page, { amount });
  await page.getByTestId('save-expense').click();
  await expect(page.getByTestId('expenses-tab')).toBeVisible();
}

// ---------------------------------------------------------------- balances

/** Name → minor units, with the " (you)" / "（你）" marker taken off the viewer's own name. */
function byMemberName(pairs: readonly (readonly [string, number])[]): Record<string, number> {
  return Object.fromEntries(
    pairs.map(([name, minor]) => [name.replace(/\s*\((you|你)\)$|（你）$/, '').trim(), minor]),
  );
}

/** Net balance per member name, in minor units, from the balances tab. */
export async function readBalances(page: Page, currency = 'CNY'): Promise<Record<string, number>> {
  await expect(page.getByTestId('balances-tab')).toBeVisible();
  const pairs = await page
    .locator(`[data-testid="balance-row"][data-currency="${currency}"]`)
    .evaluateAll((rows) =>
      rows.map(
        (r) =>
          [
            r.querySelector('td')?.textContent ?? '',
            Number(r.querySelector('[data-testid="balance-amount"]')?.getAttribute('data-minor')),
          ] as const,
      ),
    );
  return byMemberName(pairs);
}

/**
 * Net balance per member name in minor units from the line above the group's tabs (0 where a
 * member has nothing in `currency`): the same figures as the balances tab, without a click.
 */
export async function readGlance(page: Page, currency = 'CNY'): Promise<Record<string, number>> {
  await expect(page.getByTestId('balance-glance')).toBeVisible();
  const pairs = await page
    .getByTestId('member-balance')
    .evaluateAll(
      (items, cur) =>
        items.map(
          (li) =>
            [
              li.querySelector('.glance-name')?.textContent ?? '',
              Number(
                li
                  .querySelector(`[data-testid="member-net"][data-currency="${cur}"]`)
                  ?.getAttribute('data-minor') ?? 0,
              ),
            ] as const,
        ),
      currency,
    );
  return byMemberName(pairs);
}

/** Waits until every device shows `expected` balances (polling: sync is asynchronous). */
export async function expectBalancesEverywhere(
  devices: readonly Device[],
  groupId: string,
  expected: Record<string, number>,
): Promise<void> {
  for (const d of devices) {
    // The line above the tabs first, then the balances tab (where the caller goes on).
    await openGroup(d.page, groupId, 'expenses');
    await expect
      .poll(() => readGlance(d.page), { timeout: SYNC_TIMEOUT, message: `balances above ${d.name}'s tabs` })
      .toEqual(expected);
    await openTab(d.page, 'balances');
    await expect
      .poll(() => readBalances(d.page), { timeout: SYNC_TIMEOUT, message: `balances on ${d.name}'s device` })
      .toEqual(expected);
  }
}

// ---------------------------------------------------------------- setups used by several specs

/** First run on every device, the first one creates the group, the others join with its invite. */
export async function startGroup(
  devices: readonly Device[],
  name = 'Flat 3B',
  currency = 'CNY',
): Promise<{ groupId: string; invite: string }> {
  for (const d of devices) await firstRun(d.page, d.name);
  const [owner, ...others] = devices;
  if (!owner) throw new Error('startGroup needs at least one device');
  const created = await createGroup(owner.page, name, currency);
  for (const d of others) await joinGroup(d.page, created.invite, name);
  const members = devices.length === 1 ? '1 member' : `${devices.length} members`;
  for (const d of devices) {
    await openGroup(d.page, created.groupId, 'expenses');
    await expect(d.page.getByText(`${members} · ${currency}`)).toBeVisible({ timeout: SYNC_TIMEOUT });
  }
  return created;
}

/** Records a payment with the balances tab's form. */
export async function recordPayment(
  page: Page,
  from: string,
  to: string,
  amount: string,
  date?: string,
): Promise<void> {
  await openTab(page, 'balances');
  const before = await page.getByTestId('payment-row').count();
  const form = page.getByTestId('payment-form');
  await selectMember(form.getByTestId('payment-from'), from);
  await selectMember(form.getByTestId('payment-to'), to);
  await form.getByTestId('payment-amount').fill(amount);
  if (date !== undefined) await form.getByLabel('Date').fill(date);
  await page.getByTestId('record-payment').click();
  // A payment beyond what `from` owes `to` asks first (shared/settle/overpayment.ts): these
  // stories mean it, so they record it anyway.
  const anyway = form.getByTestId('overpay-record');
  await expect(page.getByTestId('payment-row').nth(before).or(anyway)).toBeVisible();
  if (await anyway.isVisible()) await anyway.click();
  await expect(page.getByTestId('payment-row')).toHaveCount(before + 1);
}

/** "182.40" → 18240: statement amounts are plain decimals with the currency's minor digits. */
export function toMinor(decimal: string, digits = 2): number {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal);
  if (!m || (m[3] ?? '').length !== digits) throw new Error(`not a ${digits}-digit amount: "${decimal}"`);
  const value = Number(m[2]) * 10 ** digits + Number(m[3] ?? 0);
  return m[1] === '-' ? -value : value;
}

/** The calendar date `days` from today where the browser is (Asia/Shanghai in the fixtures). */
export async function localDatePlus(page: Page, days: number): Promise<string> {
  return page.evaluate((d) => {
    const t = new Date();
    t.setDate(t.getDate() + d);
    const two = (n: number) => String(n).padStart(2, '0');
    return `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())}`;
  }, days);
}
