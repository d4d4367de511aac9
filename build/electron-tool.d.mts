export declare function devProblem(
  binary: { ok: true; path: string } | { ok: false; reason: string },
): string | null;
export declare function distProblem(stderr: string, platform?: string, arch?: string): string | null;
