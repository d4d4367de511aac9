/**
 * Writing red envelopes (lucky money, docs/red-envelopes.md): sending one, opening one, and the
 * sender taking back what nobody opened. Who gets which share is decided by the fold, never here.
 */
import { WalletError } from '../../../shared/errors';
import type { EventOf } from '../../../shared/ledger/events';
import type { EntryId } from '../../../shared/ledger/types';
import type { GroupSession } from './groupSession';

type Writer = Pick<GroupSession, 'append' | 'getSnapshot'>;

function requireJoined(session: Writer): void {
  if (!session.getSnapshot().joined) {
    throw new WalletError('not_member', 'You can write to this group once its history has arrived.');
  }
}

export async function sendRedEnvelope(
  session: Writer,
  envelope: Omit<EventOf<'envelope.created'>, 'type'>,
): Promise<EntryId> {
  requireJoined(session);
  return session.append({ type: 'envelope.created', ...envelope });
}

export async function openEnvelope(session: Writer, envelope: EntryId): Promise<EntryId> {
  requireJoined(session);
  return session.append({ type: 'envelope.opened', envelope });
}

export async function reclaimEnvelope(session: Writer, envelope: EntryId): Promise<EntryId> {
  requireJoined(session);
  return session.append({ type: 'envelope.reclaimed', envelope });
}
