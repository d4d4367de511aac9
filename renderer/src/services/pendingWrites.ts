/**
 * Tells the desktop how many store writes are in progress, so an update is never installed in the
 * middle of one (electron/main/updater.ts). Reported when the count changes, checked every
 * `intervalMs`: the desktop acts on a count at most that old, and installs only at zero.
 */
export function reportPendingWrites(
  count: () => number,
  report: (n: number) => void,
  intervalMs = 500,
): () => void {
  let last = -1;
  const tick = () => {
    const n = count();
    if (n === last) return;
    last = n;
    report(n);
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  return () => clearInterval(timer);
}
