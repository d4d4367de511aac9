// Guards the layering: shared/ is the platform-free core, so it must not reach up into the
// app layers or into Node-only / Electron APIs; sync-server/ must not import the app layers.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(full));
    else if (/\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name)) out.push(full);
  }
  return out;
}

function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs: string[] = [];
  for (const m of text.matchAll(
    /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g,
  )) {
    specs.push((m[1] ?? m[2]) as string);
  }
  return specs;
}

function violations(dir: string, forbidden: RegExp): string[] {
  return sourceFiles(join(root, dir)).flatMap((file) =>
    importsOf(file)
      .filter((spec) => forbidden.test(spec))
      .map((spec) => `${relative(root, file)} imports ${spec}`),
  );
}

describe('layering', () => {
  it('shared/ imports no app layer, Node built-in, Electron or DOM-only package', () => {
    expect(
      violations('shared', /^(node:|electron$|react|dexie-react-hooks)|\/(renderer|electron|sync-server)\//),
    ).toEqual([]);
  });

  it('sync-server/ imports neither renderer/ nor electron/', () => {
    expect(violations('sync-server', /^electron$|\/(renderer|electron)\//)).toEqual([]);
  });

  it('the checker itself sees imports (it would catch a violation)', () => {
    expect(importsOf(join(root, 'shared/architecture.test.ts'))).toContain('node:fs');
  });
});
