/**
 * Recording a payment the same way wherever it starts (the plan, the payment form, a request):
 * a payment that would create a debt the other way asks first (shared/settle/overpayment.ts),
 * and a recorded one can be undone at once (a signed payment.deleted).
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventOf } from '../../../shared/ledger/events';
import type { EntryId, GroupState } from '../../../shared/ledger/types';
import { type Overpayment, overpayment } from '../../../shared/settle/overpayment';
import type { Formatters } from '../hooks';
import type { GroupSession } from '../services/wallet';
import { useSpendGuard } from './SpendGuard';

export type PaymentInput = Omit<EventOf<'payment.recorded'>, 'type'>;

interface Asking {
  readonly draft: PaymentInput;
  readonly over: Overpayment;
}

export interface PaymentFlow {
  /** A payment waiting for "record anyway". */
  readonly asking: Asking | null;
  /** The payment just recorded (what Undo deletes), until undone or replaced. */
  readonly recorded: EntryId | null;
  readonly undone: boolean;
  readonly busy: boolean;
  readonly error: string | null;
  /** Records `draft`, or asks first when it goes beyond the debt; true once recorded. */
  submit(draft: PaymentInput): Promise<boolean>;
  /** Records the payment that was asked about. */
  confirm(): Promise<boolean>;
  cancel(): void;
  undo(): Promise<void>;
}

export function usePaymentFlow(state: GroupState, session: GroupSession): PaymentFlow {
  const [asking, setAsking] = useState<Asking | null>(null);
  const [recorded, setRecorded] = useState<EntryId | null>(null);
  const [undone, setUndone] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const guardSpend = useSpendGuard();

  async function record(draft: PaymentInput): Promise<boolean> {
    // Above this device's spending limit: paying a request warns, any other payment needs the
    // passcode again (components/SpendGuard.tsx).
    if (!(await guardSpend(draft.currency, draft.amount, draft.request ? 'pay-request' : 'record')))
      return false;
    setBusy(true);
    setError(null);
    try {
      const id = await session.recordPayment(draft);
      setAsking(null);
      setRecorded(id);
      setUndone(false);
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return {
    asking,
    recorded,
    undone,
    busy,
    error,
    async submit(draft) {
      setUndone(false);
      const over = overpayment(state, draft);
      if (over) {
        setAsking({ draft, over });
        return false;
      }
      return record(draft);
    },
    async confirm() {
      return asking ? record(asking.draft) : false;
    },
    cancel() {
      setAsking(null);
    },
    async undo() {
      if (!recorded) return;
      setBusy(true);
      setError(null);
      try {
        await session.deletePayment(recorded);
        setRecorded(null);
        setUndone(true);
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err));
      } finally {
        setBusy(false);
      }
    },
  };
}

/** "Recorded · Undo", "Undone", the over-payment question and any error, for one flow. */
export function PaymentFlowNotices({ flow, fmt }: { flow: PaymentFlow; fmt: Formatters }) {
  const { t } = useTranslation();
  const { asking } = flow;
  return (
    <>
      {asking && (
        <div className="notice" role="alertdialog" aria-live="assertive" data-testid="overpay-confirm">
          <p>
            {asking.over.limit === 0
              ? t('balances.overpayNothing', {
                  from: fmt.name(asking.draft.from),
                  to: fmt.name(asking.draft.to),
                  amount: fmt.money(asking.draft.amount, asking.draft.currency),
                })
              : t('balances.overpay', {
                  from: fmt.name(asking.draft.from),
                  to: fmt.name(asking.draft.to),
                  limit: fmt.money(asking.over.limit, asking.draft.currency),
                  excess: fmt.money(asking.over.excess, asking.draft.currency),
                })}
          </p>
          <div className="row end">
            <button type="button" onClick={flow.cancel} data-testid="overpay-cancel">
              {t('common.cancel')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={flow.busy}
              onClick={() => void flow.confirm()}
              data-testid="overpay-record"
            >
              {t('balances.overpayConfirm')}
            </button>
          </div>
        </div>
      )}
      {flow.recorded && (
        <p className="row muted" role="status" data-testid="payment-recorded">
          <span>{t('balances.recorded')}</span>
          <button
            type="button"
            className="link"
            disabled={flow.busy}
            onClick={() => void flow.undo()}
            data-testid="undo-payment"
          >
            {t('balances.undo')}
          </button>
        </p>
      )}
      {flow.undone && (
        <p className="muted" role="status" data-testid="payment-undone">
          {t('balances.undone')}
        </p>
      )}
      {flow.error && (
        <p className="error" role="alert">
          {flow.error}
        </p>
      )}
    </>
  );
}
