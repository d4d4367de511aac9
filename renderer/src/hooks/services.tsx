/** React access to the one WalletService of the app and its snapshots. */
import { createContext, type ReactNode, useContext, useSyncExternalStore } from 'react';
import type { AppLockService, AppLockSnapshot } from '../services/appLock';
import type { AtRestService, AtRestSnapshot } from '../services/atRest';
import type { PrefsStore, Prefs } from '../services/prefs';
import type { AppSnapshot, GroupSnapshot } from '../services/types';
import type { GroupSession, WalletService } from '../services/wallet';

interface Services {
  readonly wallet: WalletService;
  readonly prefs: PrefsStore;
  /** Encryption at rest (absent in tests that do not need it). */
  readonly atRest?: AtRestService;
  /** The app lock (absent in tests that do not need it). */
  readonly appLock?: AppLockService;
}

const ServicesContext = createContext<Services | null>(null);

export function ServicesProvider({ value, children }: { value: Services; children: ReactNode }) {
  return <ServicesContext.Provider value={value}>{children}</ServicesContext.Provider>;
}

function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('ServicesProvider is missing');
  return s;
}

export function useWallet(): WalletService {
  return useServices().wallet;
}

export function useApp(): AppSnapshot {
  const { wallet } = useServices();
  return useSyncExternalStore(wallet.subscribe, wallet.getSnapshot);
}

export function usePrefsStore(): PrefsStore {
  return useServices().prefs;
}

export function usePrefs(): Prefs {
  const { prefs } = useServices();
  return useSyncExternalStore(prefs.subscribe, prefs.get);
}

const noop = () => () => undefined;
const none = () => undefined;

/** Encryption at rest: the service (for a lock screen) and its live snapshot; undefined without one. */
export function useAtRest(): { readonly service: AtRestService; readonly snap: AtRestSnapshot } | undefined {
  const service = useServices().atRest;
  const snap = useSyncExternalStore(service ? service.subscribe : noop, service ? service.getSnapshot : none);
  return service && snap ? { service, snap } : undefined;
}

/** The app lock: the service and its live snapshot; undefined without one. */
export function useAppLock():
  | { readonly service: AppLockService; readonly snap: AppLockSnapshot }
  | undefined {
  const service = useServices().appLock;
  const snap = useSyncExternalStore(service ? service.subscribe : noop, service ? service.getSnapshot : none);
  return service && snap ? { service, snap } : undefined;
}

export interface GroupHandle {
  readonly session: GroupSession;
  readonly snap: GroupSnapshot;
}

/** The session of an open group and its live snapshot (undefined when the group is unknown). */
export function useGroup(groupId: string): GroupHandle | undefined {
  const { wallet } = useServices();
  useApp(); // re-render when the group list changes (a join adds a session)
  const session = wallet.session(groupId);
  const snap = useSyncExternalStore(session ? session.subscribe : noop, session ? session.getSnapshot : none);
  return session && snap ? { session, snap } : undefined;
}
