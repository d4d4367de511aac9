/**
 * Red envelopes (lucky money) in the chat: the card (open, who got what, take back the rest) and
 * the form that sends one. Shares are decided by the fold (docs/red-envelopes.md): until this
 * device has sent and received everything, a share just opened may still change, so the card
 * says "provisional" while the group has unsynced entries.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_ENVELOPE_SHARES } from '../../../shared/ledger/red-envelope';
import { canOpen, canReclaim, reclaimableFrom } from '../../../shared/ledger/red-envelope-expiry';
import type { GroupState, RedEnvelopeState } from '../../../shared/ledger/types';
import { parseAmount } from '../../../shared/money/parse';
import { AmountField } from '../components/AmountField';
import { CurrencySelect } from '../components/CurrencySelect';
import type { Formatters } from '../hooks';
import { todayIso } from '../lib/format';
import type { GroupSession } from '../services/wallet';
import { openEnvelope, reclaimEnvelope, sendRedEnvelope } from '../services/redEnvelopeActions';

/** How often the card looks at the clock, so "Take back the rest" appears when the day is up. */
const CLOCK_TICK_MS = 60_000;

function useNow(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export function EnvelopeCard({
  envelope: e,
  fmt,
  me,
  session,
  provisional,
}: {
  envelope: RedEnvelopeState;
  fmt: Formatters;
  me: string;
  session: GroupSession;
  /** This device has entries not yet exchanged with the others: the order of opens may change. */
  provisional: boolean;
}) {
  const { t } = useTranslation();
  const now = useNow();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = e.claims.find((c) => c.member === me);
  const closed = e.reclaimedBy !== null || e.claims.length >= e.count;
  const act = async (write: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await write();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div
      className="event-card envelope"
      data-testid="chat-envelope-card"
      data-envelope-id={e.id}
      data-opened={e.claims.length}
    >
      <div className="meta muted small">{fmt.dateTime(e.time)}</div>
      <div>
        <span aria-hidden="true">🧧 </span>
        {t('chat.envelope.text', {
          name: fmt.name(e.author),
          amount: fmt.money(e.amount, e.currency),
          count: e.count,
        })}
      </div>
      {e.note && (
        <div className="muted" data-testid="envelope-note">
          {e.note}
        </div>
      )}
      <div className="small" data-testid="envelope-progress">
        {t('chat.envelope.progress', { opened: e.claims.length, count: e.count })}
        {e.reclaimedBy !== null && (
          <span data-testid="envelope-reclaimed">
            {' '}
            · {t('chat.envelope.reclaimed', { amount: fmt.money(e.unclaimed, e.currency) })}
          </span>
        )}
      </div>
      {mine && (
        <p data-testid="envelope-my-share">
          <strong>{t('chat.envelope.yourShare', { amount: fmt.money(mine.amount, e.currency) })}</strong>
          {provisional && <span className="muted small"> · {t('chat.envelope.provisional')}</span>}
        </p>
      )}
      {e.claims.length > 0 && (
        <ul className="plain small" data-testid="envelope-claims" aria-label={t('chat.envelope.claims')}>
          {e.claims.map((c) => (
            <li key={c.entryId} data-testid="envelope-claim" data-member={c.member} data-amount={c.amount}>
              {fmt.name(c.member)}: {fmt.money(c.amount, e.currency)}
            </li>
          ))}
        </ul>
      )}
      <div className="row end">
        {canOpen(e, me) && (
          <button
            type="button"
            className="primary"
            disabled={busy}
            data-testid="open-envelope"
            onClick={() => void act(() => openEnvelope(session, e.id))}
          >
            {t('chat.envelope.open')}
          </button>
        )}
        {e.author === me && !closed && (
          <button
            type="button"
            disabled={busy || !canReclaim(e, me, now)}
            data-testid="reclaim-envelope"
            title={
              canReclaim(e, me, now)
                ? undefined
                : t('chat.envelope.reclaimLater', { time: fmt.dateTime(reclaimableFrom(e)) })
            }
            onClick={() => void act(() => reclaimEnvelope(session, e.id))}
          >
            {t('chat.envelope.reclaim', { amount: fmt.money(e.unclaimed, e.currency) })}
          </button>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * Writes `envelope.reclaimed` for my envelopes whose day is up, once per envelope per session: the
 * "unopened parts return after a time" of the design, done by the sender's app since the fold has
 * no clock. A second device of mine doing the same is harmless (the fold ignores the repeat).
 */
export function useAutoReclaim(state: GroupState, me: string, session: GroupSession, enabled: boolean): void {
  const tried = useRef(new Set<string>());
  const now = useNow();
  useEffect(() => {
    if (!enabled) return;
    for (const e of state.redEnvelopes ?? []) {
      if (tried.current.has(e.id) || !canReclaim(e, me, now)) continue;
      tried.current.add(e.id);
      void reclaimEnvelope(session, e.id).catch(() => tried.current.delete(e.id));
    }
  }, [state, me, session, enabled, now]);
}

export function EnvelopeForm({
  state,
  session,
  onDone,
}: {
  state: GroupState;
  session: GroupSession;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const [amount, setAmount] = useState('');
  const [count, setCount] = useState('2');
  const [currency, setCurrency] = useState(state.currency);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    const parsed = parseAmount(amount, currency, i18n.language);
    if (!parsed.ok) return setError(t(`editor.errors.amount_${parsed.error.code}`));
    if (parsed.value <= 0) return setError(t('editor.errors.amount_not_positive'));
    const n = Number(count);
    if (!Number.isInteger(n) || n < 1 || n > MAX_ENVELOPE_SHARES) {
      return setError(t('chat.envelope.countInvalid', { max: MAX_ENVELOPE_SHARES }));
    }
    if (n > parsed.value) return setError(t('chat.envelope.tooManyShares'));
    setBusy(true);
    try {
      await sendRedEnvelope(session, {
        amount: parsed.value,
        currency,
        count: n,
        date: todayIso(),
        ...(note.trim() ? { note: note.trim() } : {}),
      });
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card" onSubmit={submit} noValidate data-testid="envelope-form">
      <h3>{t('chat.envelope.title')}</h3>
      <p className="muted small">{t('chat.envelope.explain')}</p>
      <div className="grid-2">
        <AmountField
          label={t('editor.amount')}
          value={amount}
          invalid={Boolean(error)}
          testId="envelope-amount"
          onChange={(text) => {
            setAmount(text);
            setError(null);
          }}
        />
        <div className="field">
          <label htmlFor={`${id}-count`}>{t('chat.envelope.count')}</label>
          <input
            id={`${id}-count`}
            type="number"
            min={1}
            max={MAX_ENVELOPE_SHARES}
            step={1}
            value={count}
            data-testid="envelope-count"
            onChange={(ev) => {
              setCount(ev.target.value);
              setError(null);
            }}
          />
        </div>
        <CurrencySelect label={t('editor.currency')} value={currency} onChange={setCurrency} />
        <div className="field">
          <label htmlFor={`${id}-note`}>{t('editor.note')}</label>
          <input
            id={`${id}-note`}
            value={note}
            maxLength={200}
            data-testid="envelope-note-input"
            placeholder={t('chat.envelope.notePlaceholder')}
            onChange={(ev) => setNote(ev.target.value)}
          />
        </div>
      </div>
      {error && (
        <p className="error" role="alert" data-testid="envelope-error">
          {error}
        </p>
      )}
      <div className="row end">
        <button type="button" onClick={onDone}>
          {t('common.cancel')}
        </button>
        <button type="submit" className="primary" disabled={busy} data-testid="send-envelope">
          {t('chat.envelope.send')}
        </button>
      </div>
    </form>
  );
}
