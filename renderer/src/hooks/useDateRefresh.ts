import { useEffect } from 'react';
import type { GroupSession } from '../services/groupSession';

/** How often an open group checks whether the day has changed (new recurring occurrences). */
const CHECK_MS = 60_000;

/**
 * Keeps a group's recurring occurrences up to today while it is open: the fold only derives them
 * up to the date it is given, and nothing else would fold again when the day changes.
 */
export function useDateRefresh(session: GroupSession): void {
  useEffect(() => {
    const check = () => {
      if (session.closed) return;
      let sync: GroupSession['sync'];
      try {
        sync = session.sync;
      } catch {
        return; // not open yet: when it opens, it folds with today's date
      }
      sync.refreshDate();
    };
    check();
    const timer = setInterval(check, CHECK_MS);
    window.addEventListener('focus', check);
    return () => {
      clearInterval(timer);
      window.removeEventListener('focus', check);
    };
  }, [session]);
}
