/**
 * The sync status as the person should read it. The socket alone can look fine for a while after
 * the network is gone (an open WebSocket is not closed at once), so while the browser says it is
 * offline (navigator.onLine false) the status says offline, never "Synced".
 */
import type { SyncView } from '../services/types';

export function honestSync(view: SyncView, browserOnline: boolean): SyncView {
  if (browserOnline || view.phase === 'offline') return view;
  // A LAN peer needs the network too.
  const { lanPeer: _, ...rest } = view;
  return { ...rest, phase: 'offline' };
}
