/**
 * Test support for packaging.test.ts: the npm packages a process loads at run time, found by
 * following the value imports (not `import type`) of its TypeScript sources from an entry file.
 * The main process and the relay process are built with package.json `dependencies` left
 * external (electron.vite.config.ts), so exactly these must be `dependencies`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

// `import x from '…'`, `import { a } from '…'`, `export … from '…'`, `import '…'`, `import('…')`;
// whole-statement `import type` / `export type` are skipped below.
const STATEMENT = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/g;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

const packageOf = (specifier: string): string => {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
};

function resolveSource(from: string, specifier: string): string | null {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (candidate.endsWith('.ts') || candidate.endsWith('.tsx')) {
      if (existsSync(candidate)) return candidate;
    }
  }
  const js = base.replace(/\.(m?js)$/, '.ts');
  return existsSync(js) ? js : null;
}

/** Package names (no node: builtins, no electron) imported at run time from `entries`. */
export function runtimePackages(entries: readonly string[]): string[] {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    const specifiers: string[] = [];
    for (const m of text.matchAll(STATEMENT)) if (!m[2]) specifiers.push(m[3]!);
    for (const m of text.matchAll(DYNAMIC)) specifiers.push(m[1]!);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        const next = resolveSource(file, specifier);
        if (next) queue.push(next);
      } else if (!specifier.startsWith('node:') && specifier !== 'electron') {
        packages.add(packageOf(specifier));
      }
    }
  }
  return [...packages].sort();
}
