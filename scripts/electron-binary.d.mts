export declare function findElectronBinary(
  root: string,
  context?: { platform?: string; env?: Record<string, string | undefined> },
): { ok: true; path: string } | { ok: false; reason: string };
