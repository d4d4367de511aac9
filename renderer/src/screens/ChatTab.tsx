import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState, RequestState } from '../../../shared/ledger/types';
import { parseAmount } from '../../../shared/money/parse';
import { AmountField } from '../components/AmountField';
import { CurrencySelect } from '../components/CurrencySelect';
import { MemberSelect } from '../components/MemberSelect';
import { type Formatters, useApp, useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { todayIso } from '../lib/format';
import { hrefFor } from '../lib/route';
import { buildTimeline, lastEditor, type TimelineItem } from '../lib/timeline';
import type { GroupSession } from '../services/wallet';

const PAGE = 200;
const TYPING_IDLE_MS = 3000;

export function ChatTab({ group }: { group: GroupHandle }) {
  const { t } = useTranslation();
  const app = useApp();
  const state = group.snap.state!;
  const fmt = useFormat(state);
  const [limit, setLimit] = useState(PAGE);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [showRequest, setShowRequest] = useState(false);
  const logRef = useRef<HTMLDivElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const id = useId();
  const me = app.me!.id;
  const session = group.session;

  const items = useMemo(() => buildTimeline(state), [state]);
  const shown = items.length > limit ? items.slice(items.length - limit) : items;
  const lastKey = shown[shown.length - 1]?.key;

  useEffect(() => {
    // Follow the conversation: new items scroll into view (only when the last item changes).
    if (lastKey && logRef.current) logRef.current.scrollTop = logRef.current.scrollHeight;
  }, [lastKey]);
  useEffect(
    () => () => {
      clearTimeout(typingTimer.current);
      session.setTyping(false);
    },
    [session],
  );

  function onType(value: string) {
    setText(value);
    setError(null);
    session.setTyping(value !== '');
    clearTimeout(typingTimer.current);
    typingTimer.current = setTimeout(() => session.setTyping(false), TYPING_IDLE_MS);
  }

  async function send(e: FormEvent) {
    e.preventDefault();
    const body = text.trim();
    if (!body) return;
    if (body.length > 4000) {
      setError(t('chat.tooLong'));
      return;
    }
    try {
      await session.sendMessage(body);
      setText('');
      clearTimeout(typingTimer.current);
      session.setTyping(false);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  }

  const typing = group.snap.peers.filter((p) => p.typing);
  return (
    <div className="chat" data-testid="chat-tab">
      <div className="row between">
        <div className="presence" data-testid="presence">
          <span className="visually-hidden">{t('chat.online')}</span>
          {group.snap.peers.length === 0 ? (
            <span className="muted">{t('chat.nobodyOnline')}</span>
          ) : (
            group.snap.peers.map((p) => (
              <span key={p.member} className="online" data-testid="presence-peer" data-member={p.member}>
                {fmt.name(p.member)}
              </span>
            ))
          )}
        </div>
        <button
          type="button"
          onClick={() => setShowRequest((v) => !v)}
          data-testid="open-request"
          aria-expanded={showRequest}
        >
          {t('chat.requestPayment')}
        </button>
      </div>
      {showRequest && (
        <RequestForm state={state} session={session} me={me} onDone={() => setShowRequest(false)} />
      )}
      <div
        className="chat-log"
        ref={logRef}
        data-testid="chat-log"
        role="log"
        aria-label={t('chat.log')}
        // biome-ignore lint/a11y/noNoninteractiveTabindex: the log scrolls; keyboard users must be able to reach it
        tabIndex={0}
      >
        {items.length > shown.length && (
          <button type="button" className="link" onClick={() => setLimit((l) => l + PAGE)}>
            {t('chat.earlier', { count: items.length - shown.length })}
          </button>
        )}
        {shown.length === 0 && <p className="empty">{t('chat.empty')}</p>}
        {shown.map((item) => (
          <TimelineEntry key={item.key} item={item} fmt={fmt} me={me} state={state} session={session} />
        ))}
      </div>
      <p className="typing" data-testid="typing" aria-live="polite">
        {typing.length > 0 &&
          t('chat.typing', { names: typing.map((p) => fmt.name(p.member)).join(', '), count: typing.length })}
      </p>
      <form className="row nowrap" onSubmit={send}>
        <label htmlFor={`${id}-msg`} className="visually-hidden">
          {t('chat.message')}
        </label>
        <input
          id={`${id}-msg`}
          data-testid="chat-input"
          value={text}
          autoComplete="off"
          placeholder={t('chat.placeholder')}
          onChange={(e) => onType(e.target.value)}
        />
        <button type="submit" className="primary" data-testid="chat-send" disabled={!text.trim()}>
          {t('chat.send')}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

function TimelineEntry({
  item,
  fmt,
  me,
  state,
  session,
}: {
  item: TimelineItem;
  fmt: Formatters;
  me: string;
  state: GroupState;
  session: GroupSession;
}) {
  const { t } = useTranslation();
  switch (item.kind) {
    case 'message': {
      const m = item.message;
      return (
        <div
          className={`msg${m.author === me ? ' mine' : ''}`}
          data-testid="chat-message"
          data-author={m.author}
        >
          <div className="meta">
            {fmt.name(m.author)} ·{' '}
            <time dateTime={new Date(m.time).toISOString()}>{fmt.dateTime(m.time)}</time>
          </div>
          <div data-testid="chat-text">{m.text}</div>
        </div>
      );
    }
    case 'expense': {
      const e = item.expense;
      const editor = lastEditor(e);
      return (
        <div className="event-card" data-testid="chat-expense-card" data-expense-id={e.id}>
          <div className="meta muted small">{fmt.dateTime(e.versions[0]?.time ?? 0)}</div>
          <div>
            {t('chat.expenseAdded', {
              name: fmt.name(e.createdBy),
              description: e.data.description,
              amount: fmt.money(e.data.amount, e.data.currency),
            })}
            {editor !== null && (
              <span data-testid="chat-expense-edited">
                {' '}
                · {t('chat.expenseEdited', { name: fmt.name(editor) })}
              </span>
            )}
          </div>
          {e.deleted ? (
            <div className="muted small">{t('chat.expenseDeleted')}</div>
          ) : (
            <a
              className="small"
              href={hrefFor({ name: 'expense-edit', groupId: state.groupId, expenseId: e.id })}
            >
              {t('chat.viewExpense')}
            </a>
          )}
        </div>
      );
    }
    case 'payment': {
      const p = item.payment;
      return (
        <div className="event-card paid" data-testid="chat-payment-card" data-payment-id={p.id}>
          <div className="meta muted small">{fmt.dateTime(p.time)}</div>
          <div>
            {t('chat.paymentRecorded', {
              from: fmt.name(p.from),
              to: fmt.name(p.to),
              amount: fmt.money(p.amount, p.currency),
            })}
          </div>
          {p.deleted && <div className="muted small">{t('chat.paymentDeleted')}</div>}
        </div>
      );
    }
    case 'request':
      return <RequestCard request={item.request} fmt={fmt} me={me} session={session} />;
  }
}

function RequestCard({
  request: r,
  fmt,
  me,
  session,
}: {
  request: RequestState;
  fmt: Formatters;
  me: string;
  session: GroupSession;
}) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
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
      {r.note && <div className="muted">{r.note}</div>}
      <div className="row between">
        <strong data-testid="request-status">{t(`chat.requestStatus.${r.status}`)}</strong>
        <div className="row">
          {r.status === 'open' && r.from === me && (
            <button
              type="button"
              className="primary"
              disabled={busy}
              data-testid="pay-request"
              onClick={() =>
                run(() =>
                  session.recordPayment({
                    from: r.from,
                    to: r.to,
                    amount: r.amount,
                    currency: r.currency,
                    date: todayIso(),
                    request: r.id,
                  }),
                )
              }
            >
              {t('chat.payNow', { amount: fmt.money(r.amount, r.currency) })}
            </button>
          )}
          {r.status === 'open' && r.author === me && (
            <button type="button" disabled={busy} onClick={() => run(() => session.cancelRequest(r.id))}>
              {t('chat.cancelRequest')}
            </button>
          )}
        </div>
      </div>
      {error && <p className="error">{error}</p>}
    </div>
  );
}

function RequestForm({
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
  const others = state.members.filter((m) => m.id !== me);
  const [from, setFrom] = useState(others[0]?.id ?? '');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState(state.currency);
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const id = useId();

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
            setAmount(text);
            setError(null);
          }}
        />
        <CurrencySelect label={t('editor.currency')} value={currency} onChange={setCurrency} />
        <div className="field">
          <label htmlFor={`${id}-note`}>{t('editor.note')}</label>
          <input id={`${id}-note`} value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
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
