/**
 * Payment requests in the chat: the card (pay, undo, cancel) and the form that makes one. The
 * form starts from what the payer owes in the settlement plan and warns when that is nothing;
 * paying carries the request's note into the payment and asks first when it goes beyond the
 * debt (shared/settle/request-default.ts, overpayment.ts).
 */
import { type FormEvent, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState, RequestState } from '../../../shared/ledger/types';
import { toDecimalString } from '../../../shared/money/format';
import { parseAmount } from '../../../shared/money/parse';
import { paymentForRequest, requestDefault } from '../../../shared/settle/request-default';
import { AmountField } from '../components/AmountField';
import { CurrencySelect } from '../components/CurrencySelect';
import { MemberSelect } from '../components/MemberSelect';
import { PaymentFlowNotices, usePaymentFlow } from '../components/PaymentFlow';
import { type Formatters, useFormat } from '../hooks';
import { todayIso } from '../lib/format';
import { activeMembers } from '../lib/membership';
import type { GroupSession } from '../services/wallet';

export function RequestCard({
  request: r,
  fmt,
  me,
  state,
  session,
}: {
  request: RequestState;
  fmt: Formatters;
  me: string;
  state: GroupState;
  session: GroupSession;
}) {
  const { t } = useTranslation();
  const flow = usePaymentFlow(state, session);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const cancel = async () => {
    setBusy(true);
    setError(null);
    try {
      await session.cancelRequest(r.id);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      className={`event-card request${r.status === 'paid' ? ' paid' : ''}`}
      data-testid="chat-request-card"
      data-request-id={r.id}
      data-status={r.status}
    >
      <div className="meta muted small">{fmt.dateTime(r.time)}</div>
      <div>
        {t('chat.requestText', {
          to: fmt.name(r.to),
          from: fmt.name(r.from),
          amount: fmt.money(r.amount, r.currency),
        })}
      </div>
      {r.note && (
        <div className="muted" data-testid="request-note">
          {r.note}
        </div>
      )}
      <div className="row between">
        <strong data-testid="request-status">{t(`chat.requestStatus.${r.status}`)}</strong>
        <div className="row">
          {r.status === 'open' && r.from === me && !flow.asking && (
            <button
              type="button"
              className="primary"
              disabled={busy || flow.busy}
              data-testid="pay-request"
              onClick={() => void flow.submit(paymentForRequest(r, todayIso()))}
            >
              {t('chat.payNow', { amount: fmt.money(r.amount, r.currency) })}
            </button>
          )}
          {r.status === 'open' && r.author === me && (
            <button type="button" disabled={busy} onClick={() => void cancel()}>
              {t('chat.cancelRequest')}
            </button>
          )}
        </div>
      </div>
      <PaymentFlowNotices flow={flow} fmt={fmt} />
      {error && <p className="error">{error}</p>}
    </div>
  );
}

export function RequestForm({
  state,
  session,
  me,
  onDone,
}: {
  state: GroupState;
  session: GroupSession;
  me: string;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const fmt = useFormat(state);
  // A member who left can no longer be asked (the fold ignores such requests).
  const others = activeMembers(state).filter((m) => m.id !== me);
  const [from, setFrom] = useState(others[0]?.id ?? '');
  const [currency, setCurrency] = useState(state.currency);
  // Null until the person types: the amount follows the default for the chosen payer and currency.
  const [typed, setTyped] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const suggestion = useMemo(
    () => (from ? requestDefault(state, from, me, currency) : null),
    [state, from, me, currency],
  );
  const amount =
    typed ?? (suggestion && suggestion.amount > 0 ? toDecimalString(suggestion.amount, currency) : '');

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!from) return setError(t('chat.requestNoMember'));
    const parsed = parseAmount(amount, currency, i18n.language);
    if (!parsed.ok) return setError(t(`editor.errors.amount_${parsed.error.code}`));
    if (parsed.value <= 0) return setError(t('editor.errors.amount_not_positive'));
    try {
      await session.requestPayment({
        from,
        to: me,
        amount: parsed.value,
        currency,
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  if (others.length === 0) return <p className="notice">{t('chat.requestAlone')}</p>;
  return (
    <form className="card" onSubmit={submit} noValidate data-testid="request-form">
      <h3>{t('chat.requestTitle')}</h3>
      <div className="grid-2">
        <MemberSelect
          label={t('chat.requestFrom')}
          value={from}
          onChange={setFrom}
          members={others}
          nameOf={fmt.name}
          testId="request-from"
        />
        <AmountField
          label={t('editor.amount')}
          value={amount}
          invalid={Boolean(error)}
          testId="request-amount"
          onChange={(text) => {
            setTyped(text);
            setError(null);
          }}
        />
        <CurrencySelect label={t('editor.currency')} value={currency} onChange={setCurrency} />
        <div className="field">
          <label htmlFor={`${id}-note`}>{t('editor.note')}</label>
          <input id={`${id}-note`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      {suggestion && from && (
        <RequestHint suggestion={suggestion} from={fmt.name(from)} fmt={fmt} currency={currency} />
      )}
      {error && (
        <p className="error" role="alert" data-testid="request-error">
          {error}
        </p>
      )}
      <div className="row end">
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary" data-testid="send-request">
          {t('chat.sendRequest')}
        </button>
      </div>
    </form>
  );
}

/** What the plan says about this request: owed (the default), nothing owed, or already asked for. */
function RequestHint({
  suggestion,
  from,
  fmt,
  currency,
}: {
  suggestion: NonNullable<ReturnType<typeof requestDefault>>;
  from: string;
  fmt: Formatters;
  currency: string;
}) {
  const { t } = useTranslation();
  if (suggestion.status === 'owed') {
    return (
      <p className="muted" data-testid="request-hint" data-status="owed">
        {t('chat.requestOwed', { from, amount: fmt.money(suggestion.owed, currency) })}
      </p>
    );
  }
  return (
    <p className="notice" role="status" data-testid="request-warning" data-status={suggestion.status}>
      {suggestion.status === 'nothing_owed'
        ? t('chat.requestNothingOwed', { from })
        : t('chat.requestAlreadyAsked', { from, amount: fmt.money(suggestion.requested, currency) })}
    </p>
  );
}
