import { type FormEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateField } from '../components/DateField';
import type { GroupState } from '../../../shared/ledger/types';
import { parseAmount } from '../../../shared/money/parse';
import type { Transfer } from '../../../shared/settle/plan';
import { AmountField } from '../components/AmountField';
import { CurrencySelect } from '../components/CurrencySelect';
import { MemberSelect } from '../components/MemberSelect';
import { MembersCard } from '../components/MembersCard';
import { type PaymentFlow, PaymentFlowNotices, usePaymentFlow } from '../components/PaymentFlow';
import { type Formatters, useApp, useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { balanceSheet } from '../lib/balances';
import { todayIso } from '../lib/format';
import type { GroupSession } from '../services/wallet';

/** The payment history starts with the latest 25 (it sits below the balances and the form); "show more" adds 100. */
const PAYMENTS_PAGE = 25;

export function BalancesTab({ group }: { group: GroupHandle }) {
  const { t } = useTranslation();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  const sheets = useMemo(() => balanceSheet(state), [state]);
  const payments = useMemo(() => [...state.payments].reverse(), [state.payments]);
  // The latest page first, so a long history does not hold up the tab.
  const [limit, setLimit] = useState(PAYMENTS_PAGE);
  // One flow for every plan line: a recorded line leaves the plan, its Undo must stay on screen.
  const planFlow = usePaymentFlow(state, group.session);
  const app = useApp();

  return (
    <div data-testid="balances-tab">
      {sheets.length === 0 && <div className="card empty">{t('balances.empty')}</div>}
      {sheets.map((sheet) => (
        <section
          className="card"
          key={sheet.currency}
          data-testid="balance-sheet"
          data-currency={sheet.currency}
        >
          <h2>{t('balances.title', { currency: sheet.currency })}</h2>
          <table data-testid="balance-table">
            <thead>
              <tr>
                <th scope="col">{t('balances.member')}</th>
                <th scope="col" className="num">
                  {t('balances.paid_col')}
                </th>
                <th scope="col" className="num">
                  {t('balances.share_col')}
                </th>
                <th scope="col" className="num">
                  {t('balances.payments_col')}
                </th>
                {sheet.rows.some((r) => r.lucky !== 0) && (
                  <th scope="col" className="num">
                    {t('balances.lucky_col')}
                  </th>
                )}
                <th scope="col" className="num">
                  {t('balances.balance')}
                </th>
              </tr>
            </thead>
            <tbody>
              {sheet.rows.map((r) => (
                <tr
                  key={r.member}
                  data-testid="balance-row"
                  data-member={r.member}
                  data-currency={sheet.currency}
                >
                  <td>{fmt.name(r.member)}</td>
                  <td className="num">{fmt.money(r.paid, sheet.currency)}</td>
                  <td className="num">{fmt.money(r.share, sheet.currency)}</td>
                  <td className="num">{fmt.money(r.sent - r.received, sheet.currency, true)}</td>
                  {sheet.rows.some((x) => x.lucky !== 0) && (
                    <td className="num" data-testid="balance-lucky">
                      {fmt.money(r.lucky, sheet.currency, true)}
                    </td>
                  )}
                  <td
                    className={`num ${r.net > 0 ? 'pos' : r.net < 0 ? 'neg' : ''}`}
                    data-testid="balance-amount"
                    data-minor={r.net}
                  >
                    {r.net === 0
                      ? t('balances.settled')
                      : r.net > 0
                        ? t('balances.isOwed', { amount: fmt.money(r.net, sheet.currency) })
                        : t('balances.owes', { amount: fmt.money(-r.net, sheet.currency) })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3 className="plan-title">{t('balances.planTitle')}</h3>
          {sheet.plan.length === 0 ? (
            <p className="muted" data-testid="plan-empty">
              {t('balances.allSettled')}
            </p>
          ) : (
            <ul className="plan" data-testid="settlement-plan">
              {sheet.plan.map((tr) => (
                <PlanLine
                  key={`${tr.from}>${tr.to}`}
                  transfer={tr}
                  currency={sheet.currency}
                  fmt={fmt}
                  flow={planFlow}
                />
              ))}
            </ul>
          )}
        </section>
      ))}

      {sheets.length > 0 && (
        <div data-testid="plan-payment-notices">
          <PaymentFlowNotices flow={planFlow} fmt={fmt} />
        </div>
      )}

      <RecordPayment state={state} session={group.session} />

      <section className="card" data-testid="payment-history">
        <h2>{t('balances.historyTitle')}</h2>
        {payments.length === 0 ? (
          <p className="muted">{t('balances.noPayments')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">{t('expenses.date')}</th>
                <th scope="col">{t('balances.payment')}</th>
                <th scope="col" className="num">
                  {t('expenses.amount')}
                </th>
                <th scope="col">
                  <span className="visually-hidden">{t('balances.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {payments.slice(0, limit).map((p) => (
                <tr
                  key={p.id}
                  className={p.deleted ? 'deleted' : undefined}
                  data-testid="payment-row"
                  data-payment-id={p.id}
                >
                  <td className="date">{fmt.date(p.date)}</td>
                  <td>
                    {t('balances.paid', { from: fmt.name(p.from), to: fmt.name(p.to) })}
                    {p.note && <div className="muted small">{p.note}</div>}
                  </td>
                  <td className="num">{fmt.money(p.amount, p.currency)}</td>
                  <td>
                    {!p.deleted && (
                      <DeletePayment id={p.id} session={group.session} label={t('balances.deletePayment')} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {payments.length > limit && (
          <div className="row end">
            <button type="button" data-testid="payments-more" onClick={() => setLimit((l) => l + 100)}>
              {t('expenses.showMore', { count: payments.length - limit })}
            </button>
          </div>
        )}
      </section>

      {app.me && <MembersCard state={state} session={group.session} me={app.me.id} fmt={fmt} />}
    </div>
  );
}

function PlanLine({
  transfer,
  currency,
  fmt,
  flow,
}: {
  transfer: Transfer;
  currency: string;
  fmt: Formatters;
  flow: PaymentFlow;
}) {
  const { t } = useTranslation();
  const record = () =>
    flow.submit({
      from: transfer.from,
      to: transfer.to,
      amount: transfer.amount,
      currency,
      date: todayIso(),
    });
  const text = t('balances.planLine', {
    from: fmt.name(transfer.from),
    to: fmt.name(transfer.to),
    amount: fmt.money(transfer.amount, currency),
  });
  return (
    <li className="row between" data-testid="plan-line" data-from={transfer.from} data-to={transfer.to}>
      <span>{text}</span>
      <button
        type="button"
        onClick={() => void record()}
        disabled={flow.busy}
        data-testid="record-plan-payment"
        aria-label={t('balances.recordLine', { line: text })}
      >
        {t('balances.record')}
      </button>
    </li>
  );
}

/** One per payment row: cheap until used (the confirmation, with its translations, mounts on demand). */
function DeletePayment({ id, session, label }: { id: string; session: GroupSession; label: string }) {
  const [confirm, setConfirm] = useState(false);
  if (!confirm) {
    return (
      <button type="button" className="link" onClick={() => setConfirm(true)} data-testid="delete-payment">
        {label}
      </button>
    );
  }
  return (
    <ConfirmDeletePayment
      onConfirm={() => void session.deletePayment(id)}
      onCancel={() => setConfirm(false)}
    />
  );
}

function ConfirmDeletePayment({ onConfirm, onCancel }: { onConfirm: () => void; onCancel: () => void }) {
  const { t } = useTranslation();
  return (
    <span className="row">
      <button type="button" className="danger" onClick={onConfirm} data-testid="confirm-delete-payment">
        {t('editor.deleteConfirm')}
      </button>
      <button type="button" onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </span>
  );
}

function RecordPayment({ state, session }: { state: GroupState; session: GroupSession }) {
  const { t, i18n } = useTranslation();
  const app = useApp();
  const fmt = useFormat(state);
  const id = useId();
  const me = app.me!.id;
  const other = state.members.find((m) => m.id !== me)?.id ?? me;
  const [from, setFrom] = useState(me);
  const [to, setTo] = useState(other);
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(state.currency);
  const [date, setDate] = useState(todayIso());
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const flow = usePaymentFlow(state, session);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (from === to) return setError(t('balances.samePerson'));
    const parsed = parseAmount(amount, currency, i18n.language);
    if (!parsed.ok) return setError(t(`editor.errors.amount_${parsed.error.code}`));
    if (parsed.value <= 0) return setError(t('editor.errors.amount_not_positive'));
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return setError(t('editor.errors.date_invalid'));
    setError(null);
    const draft = {
      from,
      to,
      amount: parsed.value,
      currency,
      date,
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    if (await flow.submit(draft)) clearForm();
  }
  async function confirm(): Promise<boolean> {
    const recorded = await flow.confirm();
    if (recorded) clearForm();
    return recorded;
  }
  function clearForm() {
    setAmount('');
    setNote('');
  }

  if (state.members.length < 2) return null;
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="payment-form">
      <h2>{t('balances.recordTitle')}</h2>
      <div className="grid-2">
        <MemberSelect
          label={t('balances.from')}
          value={from}
          onChange={setFrom}
          members={state.members}
          nameOf={fmt.name}
          testId="payment-from"
        />
        <MemberSelect
          label={t('balances.to')}
          value={to}
          onChange={setTo}
          members={state.members}
          nameOf={fmt.name}
          testId="payment-to"
        />
        <AmountField
          label={t('editor.amount')}
          value={amount}
          invalid={Boolean(error)}
          testId="payment-amount"
          onChange={(text) => {
            setAmount(text);
            setError(null);
          }}
        />
        <CurrencySelect label={t('editor.currency')} value={currency} onChange={setCurrency} />
        <div className="field">
          <label htmlFor={`${id}-date`}>{t('editor.date')}</label>
          <DateField id={`${id}-date`} value={date} onChange={setDate} testId="payment-date" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-note`}>{t('editor.note')}</label>
          <input id={`${id}-note`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="payment-error">
          {error}
        </p>
      )}
      <PaymentFlowNotices flow={{ ...flow, confirm }} fmt={fmt} />
      <button type="submit" className="primary" data-testid="record-payment">
        {t('balances.record')}
      </button>
    </form>
  );
}
