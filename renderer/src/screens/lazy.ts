/**
 * Screens that are not needed to show a group's expenses and balances, split out of the
 * start-up bundle. `preloadDeferredCode` fetches them all once the app is up: the app is
 * offline-first, so every screen must already be in memory when the network goes away.
 */
import { type ComponentType, createElement, type FunctionComponent, lazy } from 'react';

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
/** Forget the failed React.lazy of each screen whose chunk did not load, so the next render fetches it again. */
const resetters: Array<() => void> = [];

/**
 * A screen loaded on first render. React.lazy remembers a failed load forever, so each screen
 * keeps a fresh lazy wrapper ready for `retryDeferredCode` (the error boundary's "Try again").
 */
// biome-ignore lint/suspicious/noExplicitAny: React.lazy accepts components of any props.
export function deferred<P extends Record<string, any>>(
  load: () => Promise<ComponentType<P>>,
): FunctionComponent<P> {
  const loader = once(load);
  loaders.push(loader);
  let failed = false;
  const make = () =>
    lazy(() =>
      loader().then(
        (component) => ({ default: component }),
        (error: unknown) => {
          failed = true;
          throw error;
        },
      ),
    );
  let Lazy = make();
  resetters.push(() => {
    if (!failed) return;
    failed = false;
    Lazy = make();
  });
  // biome-ignore lint/suspicious/noExplicitAny: props pass through unchanged.
  return (props: P) => createElement(Lazy as ComponentType<any>, props);
}

export const ExpenseDetailScreen = deferred(() =>
  import('./ExpenseDetailScreen').then((m) => m.ExpenseDetailScreen),
);
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
export const ImportTab = deferred(() => import('./ImportTab').then((m) => m.ImportTab));
export const InviteTab = deferred(() => import('./InviteTab').then((m) => m.InviteTab));
export const ReconcileTab = deferred(() => import('./ReconcileTab').then((m) => m.ReconcileTab));
export const AnalysisTab = deferred(() => import('./AnalysisTab').then((m) => m.AnalysisTab));
export const HomeScreen = deferred(() => import('./HomeScreen').then((m) => m.HomeScreen));
// The only importer of the chart library (Recharts), kept out of every screen's own chunk.
export const SpendingCharts = deferred(() =>
  import('../components/analysis/SpendingCharts').then((m) => m.SpendingCharts),
);
// Not screens, but needed offline too: restoring a backup (wallet.ts imports it on demand) and
// the relay transport (browserDeps.ts fetches it with the first group that connects).
loaders.push(once(() => import('../../../shared/statement/backup')));
loaders.push(once(() => import('../../../shared/sync/websocket-transport')));

/** Lets screens whose code failed to load try again on their next render. */
export function retryDeferredCode(): void {
  for (const reset of resetters) reset();
}

/** Loads every deferred chunk in the background; failures are left for the on-demand load to retry. */
export function preloadDeferredCode(): void {
  for (const load of loaders) load().catch(() => undefined);
}
