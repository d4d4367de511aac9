import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState, HandoverState, MemberState } from '../../../shared/ledger/types';
import type { MemberId } from '../../../shared/money/types';
import type { Formatters } from '../hooks';
import { memberNets } from '../lib/balances';
import { activeMembers, isActiveMember, pendingHandovers, removalProgress } from '../lib/membership';
import { answerHandover, handOverBalance, leaveGroup, removeOrApprove } from '../services/membershipActions';
import type { GroupSession } from '../services/wallet';
import { MemberSelect } from './MemberSelect';

/**
 * The group's members (docs/protocol.md §13): who left or was removed, removing a member (the
 * creator directly, anyone else by approval), balance hand-overs waiting for an answer, and
 * leaving, which first shows the person's balance and offers to settle or hand it over.
 */
export function MembersCard({
  state,
  session,
  me,
  fmt,
}: {
  state: GroupState;
  session: GroupSession;
  me: MemberId;
  fmt: Formatters;
}) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const self = state.members.find((m) => m.id === me);
  const active = self !== undefined && isActiveMember(self);
  const { toMe, fromMe } = useMemo(() => pendingHandovers(state, me), [state, me]);

  async function run(action: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(t('members.failed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" data-testid="members-card">
      <h2>{t('members.title')}</h2>
      {self && !active && (
        <p className="notice" data-testid="members-departed">
          {t(self.status === 'left' ? 'members.youLeft' : 'members.youWereRemoved')}
        </p>
      )}
      <KeyEpochLine state={state} session={session} active={active} me={me} />
      {active &&
        (state.keys?.missingKeys ?? [])
          .filter((m) => m.member !== me)
          .map((m) => (
            <p key={m.member} className="notice row between" data-testid="key-share-offer">
              <span>{t('members.keysMissing', { name: fmt.name(m.member) })}</span>
              <button
                type="button"
                disabled={busy}
                data-testid="key-share"
                onClick={() => run(() => session.shareKeysWith(m.member))}
              >
                {t('members.shareKeys', { name: fmt.name(m.member) })}
              </button>
            </p>
          ))}
      {active && <RotateKey busy={busy} onRotate={() => run(() => session.rotateKey())} />}
      <ul className="plain stack">
        {state.members.map((m) => (
          <MemberLine
            key={m.id}
            member={m}
            state={state}
            me={me}
            canAct={active && !busy}
            fmt={fmt}
            onRemove={() => run(() => removeOrApprove(session, me, m.id))}
          />
        ))}
      </ul>
      {active &&
        toMe.map((h) => (
          <HandoverOffer
            key={h.id}
            handover={h}
            fmt={fmt}
            busy={busy}
            onAnswer={(answer) => run(() => answerHandover(session, me, h.id, answer))}
          />
        ))}
      {active &&
        fromMe.map((h) => (
          <p key={h.id} className="notice row between" data-testid="handover-waiting">
            <span>
              {t('members.handoverWaiting', {
                name: fmt.name(h.to),
                amount: fmt.money(Math.abs(h.amount), h.currency),
              })}
            </span>
            <button
              type="button"
              disabled={busy}
              onClick={() => run(() => answerHandover(session, me, h.id, 'cancel'))}
            >
              {t('members.withdraw')}
            </button>
          </p>
        ))}
      {active && (
        <LeavePanel
          state={state}
          me={me}
          fmt={fmt}
          busy={busy}
          waiting={fromMe}
          onHandOver={(to, nets) =>
            run(async () => {
              for (const n of nets) await handOverBalance(session, me, to, n.currency, n.amount);
            })
          }
          onLeave={() => run(() => leaveGroup(session, me))}
        />
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/**
 * "Change the group key" (docs/protocol.md §15): what a leaked invite link or a lost device calls
 * for. Asks first, since everyone's app has to pick up the new key.
 */
function RotateKey({ busy, onRotate }: { busy: boolean; onRotate: () => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <p className="row between">
        <span className="muted small">{t('members.rotateHint')}</span>
        <button type="button" disabled={busy} onClick={() => setAsking(true)} data-testid="rotate-key">
          {t('members.rotate')}
        </button>
      </p>
    );
  }
  return (
    <fieldset className="notice stack" aria-label={t('members.rotate')}>
      <p>{t('members.rotateConfirm')}</p>
      <p className="row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          data-testid="rotate-key-confirm"
          onClick={() => {
            setAsking(false);
            onRotate();
          }}
        >
          {t('members.rotateYes')}
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          {t('common.cancel')}
        </button>
      </p>
    </fieldset>
  );
}

/**
 * The group key's epoch (docs/protocol.md §15): a line once it was rotated, and for a member who
 * departed before the rotation, that what follows cannot be read here (and how much of it came).
 */
function KeyEpochLine({
  state,
  session,
  active,
  me,
}: {
  state: GroupState;
  session: GroupSession;
  active: boolean;
  me: MemberId;
}) {
  const { t } = useTranslation();
  const epoch = state.keys?.epoch ?? 0;
  if (epoch === 0) return null;
  if (active && state.keys?.missingKeys?.some((m) => m.member === me)) {
    // Joined after a key change: another member's app shares the keys when it next syncs.
    return (
      <p className="notice" data-testid="key-waiting">
        {t('members.waitingForKeys')}
      </p>
    );
  }
  if (active) {
    return (
      <p className="muted small" data-testid="key-epoch" data-epoch={epoch}>
        {t('members.keyEpoch', { epoch })}
      </p>
    );
  }
  const count = session.unreadableCount;
  return (
    <p className="notice" data-testid="key-locked-out" data-unreadable={count}>
      {t('members.lockedOut')}
      {count > 0 && ` ${t('members.unreadable', { count })}`}
    </p>
  );
}

function MemberLine({
  member,
  state,
  me,
  canAct,
  fmt,
  onRemove,
}: {
  member: MemberState;
  state: GroupState;
  me: MemberId;
  canAct: boolean;
  fmt: Formatters;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const isCreator = state.createdBy === me;
  const progress = removalProgress(state, member.id);
  const approved = progress.approvedBy.includes(me);
  const status = member.status;
  return (
    <li
      className="row between"
      data-testid="member-line"
      data-member={member.id}
      data-status={status ?? 'active'}
    >
      <span>
        {fmt.name(member.id)}
        {member.id === me && ` ${t('members.you')}`}
        {member.id === state.createdBy && <span className="muted small"> · {t('members.creator')}</span>}
        {status && (
          <span className="badge"> {t(status === 'left' ? 'members.left' : 'members.removed')}</span>
        )}
        {!status && progress.approvals > 0 && (
          <span className="muted small" data-testid="removal-progress">
            {' '}
            {t('members.approvals', { count: progress.approvals, needed: progress.needed })}
          </span>
        )}
      </span>
      {!status && member.id !== me && canAct && !approved && !confirming && (
        <button
          type="button"
          className="danger"
          onClick={() => setConfirming(true)}
          data-testid="member-remove"
        >
          {isCreator
            ? t('members.remove')
            : progress.approvals > 0
              ? t('members.approve')
              : t('members.proposeRemoval')}
        </button>
      )}
      {!status && approved && <span className="muted small">{t('members.youApproved')}</span>}
      {confirming && (
        <span className="row" role="alertdialog">
          <span className="small">
            {t(isCreator ? 'members.confirmRemove' : 'members.confirmApprove', { name: fmt.name(member.id) })}
          </span>
          <button
            type="button"
            className="danger"
            data-testid="member-remove-confirm"
            onClick={() => {
              setConfirming(false);
              onRemove();
            }}
          >
            {t('members.confirm')}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            {t('members.cancel')}
          </button>
        </span>
      )}
    </li>
  );
}

function HandoverOffer({
  handover: h,
  fmt,
  busy,
  onAnswer,
}: {
  handover: HandoverState;
  fmt: Formatters;
  busy: boolean;
  onAnswer: (answer: 'accept' | 'cancel') => void;
}) {
  const { t } = useTranslation();
  const amount = fmt.money(Math.abs(h.amount), h.currency);
  return (
    <div className="notice stack" data-testid="handover-offer">
      <p>
        {t(h.amount < 0 ? 'members.offerDebt' : 'members.offerCredit', { name: fmt.name(h.from), amount })}
      </p>
      <div className="row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          onClick={() => onAnswer('accept')}
          data-testid="handover-accept"
        >
          {t('members.accept')}
        </button>
        <button
          type="button"
          disabled={busy}
          onClick={() => onAnswer('cancel')}
          data-testid="handover-decline"
        >
          {t('members.decline')}
        </button>
      </div>
    </div>
  );
}

type Net = { currency: string; amount: number };

function LeavePanel({
  state,
  me,
  fmt,
  busy,
  waiting,
  onHandOver,
  onLeave,
}: {
  state: GroupState;
  me: MemberId;
  fmt: Formatters;
  busy: boolean;
  waiting: readonly HandoverState[];
  onHandOver: (to: MemberId, nets: readonly Net[]) => void;
  onLeave: () => void;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const others = activeMembers(state).filter((m) => m.id !== me);
  const [to, setTo] = useState(others[0]?.id ?? '');
  const nets = useMemo(() => memberNets(state).find((m) => m.member === me)?.nets ?? [], [state, me]);
  // What is already offered and waiting is not offered twice.
  const offered = new Set(waiting.map((h) => h.currency));
  const toHandOver = nets.filter((n) => !offered.has(n.currency));
  if (!open) {
    return (
      <button type="button" className="danger" onClick={() => setOpen(true)} data-testid="leave-start">
        {t('members.leave')}
      </button>
    );
  }
  return (
    <div className="notice danger stack" role="alertdialog" data-testid="leave-panel">
      <p>
        <strong>{t('members.leaveTitle', { name: state.name })}</strong>
      </p>
      {nets.length > 0 ? (
        <ul className="plain" data-testid="leave-balance">
          {nets.map((n) => (
            <li key={n.currency}>
              {n.amount < 0
                ? t('forget.youOwe', { amount: fmt.money(-n.amount, n.currency) })
                : t('forget.youAreOwed', { amount: fmt.money(n.amount, n.currency) })}
            </li>
          ))}
        </ul>
      ) : (
        <p className="small">{t('members.leaveSettled')}</p>
      )}
      {nets.length > 0 && (
        <>
          <p className="small">{t('members.leaveOptions')}</p>
          <button
            type="button"
            onClick={() => document.querySelector('[data-testid="balance-sheet"]')?.scrollIntoView()}
          >
            {t('members.settleFirst')}
          </button>
          {toHandOver.length > 0 && others.length > 0 && (
            <div className="row">
              <MemberSelect
                label={t('members.handOverTo')}
                value={to}
                onChange={setTo}
                members={others}
                nameOf={fmt.name}
                testId="handover-to"
              />
              <button
                type="button"
                disabled={busy || !to}
                onClick={() => onHandOver(to, toHandOver)}
                data-testid="handover-send"
              >
                {t('members.handOver')}
              </button>
            </div>
          )}
        </>
      )}
      <p className="small">{t('members.leaveExplain')}</p>
      <div className="row">
        <button
          type="button"
          className="danger"
          disabled={busy}
          onClick={onLeave}
          data-testid="leave-confirm"
        >
          {t('members.leaveConfirm')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('members.cancel')}
        </button>
      </div>
    </div>
  );
}
