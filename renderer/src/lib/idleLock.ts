/** "Lock after N idle minutes" (a setting; 0 = never): whether the time has come. Pure. */
export function idleLockDue(lastActivity: number, now: number, minutes: number): boolean {
  if (!Number.isFinite(minutes) || minutes <= 0) return false;
  return now - lastActivity >= minutes * 60_000;
}
