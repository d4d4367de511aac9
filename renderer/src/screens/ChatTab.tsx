import { type FormEvent, useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState } from '../../../shared/ledger/types';
import { type Formatters, useApp, useFormat } from '../hooks';
import type { GroupHandle } from '../hooks/services';
import { hrefFor } from '../lib/route';
import { buildTimeline, lastEditor, type TimelineItem } from '../lib/timeline';
import type { GroupSession } from '../services/wallet';
import { EnvelopeCard, EnvelopeForm, useAutoReclaim } from './ChatEnvelopes';
import { RequestCard, RequestForm } from './ChatRequests';

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
  const [showEnvelope, setShowEnvelope] = useState(false);
  const logRef = useRef<HTMLDivElement>(null);
  const typingTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const id = useId();
  const me = app.me!.id;
  const session = group.session;

  const items = useMemo(() => buildTimeline(state), [state]);
  // Red-envelope shares settle once this device has exchanged everything with the others.
  const provisional = group.snap.sync.phase !== 'synced' || (group.snap.sync.unsent ?? 0) > 0;
  useAutoReclaim(state, me, session, group.snap.joined);
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
    // Cleared before the write, not after: whatever is typed while it is written is the next
    // message and must not be wiped. A failed write puts the text back if the box is still empty.
    setText('');
    clearTimeout(typingTimer.current);
    session.setTyping(false);
    try {
      await session.sendMessage(body);
    } catch (err) {
      setText((current) => (current === '' ? body : current));
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
        <button
          type="button"
          onClick={() => setShowEnvelope((v) => !v)}
          data-testid="open-envelope-form"
          aria-expanded={showEnvelope}
        >
          {t('chat.envelope.sendButton')}
        </button>
      </div>
      {showRequest && (
        <RequestForm state={state} session={session} me={me} onDone={() => setShowRequest(false)} />
      )}
      {showEnvelope && <EnvelopeForm state={state} session={session} onDone={() => setShowEnvelope(false)} />}
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
          <TimelineEntry
            key={item.key}
            item={item}
            fmt={fmt}
            me={me}
            state={state}
            session={session}
            provisional={provisional}
          />
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
  provisional,
}: {
  item: TimelineItem;
  fmt: Formatters;
  me: string;
  state: GroupState;
  session: GroupSession;
  provisional: boolean;
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
              href={hrefFor({ name: 'expense-view', groupId: state.groupId, expenseId: e.id })}
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
      return <RequestCard request={item.request} fmt={fmt} me={me} state={state} session={session} />;
    case 'envelope':
      return (
        <EnvelopeCard
          envelope={item.envelope}
          fmt={fmt}
          me={me}
          session={session}
          provisional={provisional}
        />
      );
  }
}
