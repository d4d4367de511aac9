/**
 * The expense editor's on-device suggestion: while a description is typed, a chip under it
 * offers a category (and the usual payer and split for similar expenses). Tab in the
 * description, or Enter/Space on the chip, accepts it; Esc dismisses it. Everything is
 * computed here from the folded group state (shared/suggest): nothing is sent anywhere.
 */
import { type KeyboardEvent, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GroupState } from '../../../shared/ledger/types';
import type { MemberId } from '../../../shared/money/types';
import { buildSuggester } from '../../../shared/suggest/suggester';
import { useWallet } from '../hooks';
import type { ExpenseForm } from '../lib/expenseForm';
import { acceptSuggestion, type ExpenseSuggestion, pendingSuggestion } from '../lib/expenseSuggestion';
import type { WalletService } from '../services/wallet';
import { categoryLabel } from './labels';

export interface SuggestionControl {
  readonly suggestion: ExpenseSuggestion | null;
  readonly accept: () => void;
  /** For the description input: Tab accepts, Esc dismisses (never while an IME is composing). */
  readonly onKeyDown: (e: KeyboardEvent<HTMLInputElement>) => void;
}

export function useExpenseSuggestion(opts: {
  state: GroupState;
  me: MemberId | null;
  form: ExpenseForm;
  set: (patch: Partial<ExpenseForm>) => void;
  /** Off when editing an existing expense: it already has its category. */
  enabled: boolean;
}): SuggestionControl {
  const { state, me, form, set, enabled } = opts;
  const { i18n } = useTranslation();
  const wallet = useWallet();
  // Trained only once something is typed: opening the editor costs nothing.
  const active = enabled && form.description.trim() !== '';
  // The person's other groups, as they are when typing starts: their later changes (sync
  // status, arrivals) should not re-train the model under every keystroke.
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once per activation on purpose
  const elsewhere = useMemo(() => (active ? otherGroupStates(wallet, state.groupId) : []), [active]);
  const suggester = useMemo(
    () => (active ? buildSuggester(state, me, i18n.language, elsewhere) : null),
    [active, state, me, i18n.language, elsewhere],
  );
  // Esc hides the suggestion for the description as it is; typing brings suggestions back.
  const [dismissedFor, setDismissedFor] = useState<string | null>(null);
  const found = useMemo(() => suggester?.suggest(form.description) ?? null, [suggester, form.description]);
  const suggestion =
    found && dismissedFor !== form.description
      ? pendingSuggestion(form, {
          category: found.category?.category ?? null,
          payer: found.usual?.payer ?? null,
          members: found.usual?.members ?? null,
        })
      : null;
  const accept = () => {
    if (suggestion) set(acceptSuggestion(form, suggestion));
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (!suggestion || e.nativeEvent.isComposing) return;
    if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
      e.preventDefault();
      accept();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setDismissedFor(form.description);
    }
  };
  return { suggestion, accept, onKeyDown };
}

function otherGroupStates(wallet: WalletService, groupId: string): GroupState[] {
  const out: GroupState[] = [];
  for (const g of wallet.getSnapshot().groups) {
    if (g.id === groupId) continue;
    const other = wallet.session(g.id)?.getSnapshot().state;
    if (other) out.push(other);
  }
  return out;
}

/** The chip and the privacy note, shown under the description of a new expense. */
export function CategorySuggestion({
  control,
  name,
}: {
  control: SuggestionControl;
  /** A member's display name. */
  name: (member: MemberId) => string;
}) {
  const { t, i18n } = useTranslation();
  const s = control.suggestion;
  const parts: string[] = [];
  if (s?.category !== undefined)
    parts.push(t('suggest.category', { category: categoryLabel(t, s.category) }));
  if (s?.payer !== undefined) parts.push(t('suggest.payer', { name: name(s.payer) }));
  if (s?.members !== undefined) {
    const names = new Intl.ListFormat(i18n.language, { type: 'conjunction' }).format(s.members.map(name));
    parts.push(t('suggest.members', { names }));
  }
  const what = parts.join(' · ');
  return (
    <div className="suggestion" data-testid="suggestion">
      {/* A live region so screen readers hear a suggestion appear without moving focus. */}
      <div role="status" aria-live="polite">
        {s && (
          <button
            type="button"
            className="suggestion-chip"
            data-testid="suggestion-chip"
            data-category={s.category ?? ''}
            aria-label={t('suggest.acceptLabel', { what })}
            onClick={control.accept}
          >
            <span>{what}</span> <span className="muted small">{t('suggest.hint')}</span>
          </button>
        )}
      </div>
      <p className="muted small" data-testid="suggestion-private">
        {t('suggest.private')}
      </p>
    </div>
  );
}
