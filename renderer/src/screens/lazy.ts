/**
 * Screens that are not needed to show a group's expenses and balances, split out of the
 * start-up bundle. `preloadDeferredCode` fetches them all once the app is up: the app is
 * offline-first, so every screen must already be in memory when the network goes away.
 */
import { type ComponentType, lazy } from 'react';

/** Memoised loader: the first call fetches the chunk, later calls (and React.lazy) reuse it; a failure may be retried. */
function once<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

const loaders: Array<() => Promise<unknown>> = [];

// biome-ignore lint/suspicious/noExplicitAny: React.lazy accepts components of any props.
function deferred<P extends ComponentType<any>>(load: () => Promise<P>) {
  const loader = once(load);
  loaders.push(loader);
  return lazy(() => loader().then((component) => ({ default: component })));
}

export const ExpenseEditorScreen = deferred(() =>
  import('./ExpenseEditorScreen').then((m) => m.ExpenseEditorScreen),
);
export const WaitingForHistory = deferred(() =>
  import('./WaitingForHistory').then((m) => m.WaitingForHistory),
);
export const JoinScreen = deferred(() => import('./JoinScreen').then((m) => m.JoinScreen));
export const NewGroupScreen = deferred(() => import('./NewGroupScreen').then((m) => m.NewGroupScreen));
export const SettingsScreen = deferred(() => import('./SettingsScreen').then((m) => m.SettingsScreen));
export const WelcomeScreen = deferred(() => import('./WelcomeScreen').then((m) => m.WelcomeScreen));
export const ChatTab = deferred(() => import('./ChatTab').then((m) => m.ChatTab));
export const ExportTab = deferred(() => import('./ExportTab').then((m) => m.ExportTab));
export const InviteTab = deferred(() => import('./InviteTab').then((m) => m.InviteTab));
export const ReconcileTab = deferred(() => import('./ReconcileTab').then((m) => m.ReconcileTab));
// Not a screen, but restoring a backup offline needs it too (wallet.ts imports it on demand).
loaders.push(once(() => import('../../../shared/statement/backup')));

/** Loads every deferred chunk in the background; failures are left for the on-demand load to retry. */
export function preloadDeferredCode(): void {
  for (const load of loaders) load().catch(() => undefined);
}
