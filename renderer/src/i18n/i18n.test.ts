// Every visible string goes through t(): these checks keep both languages complete.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import zhCN from './zh-CN.json';
import { detectLanguage } from './index';

type Tree = { [k: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'string' ? [`${prefix}${k}`] : leaves(v, `${prefix}${k}.`),
  );
}

/** Plural forms collapse to their base key (English has _one/_other, Chinese only _other). */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

function lookup(tree: Tree, path: string): string | Tree | undefined {
  let node: string | Tree | undefined = tree;
  for (const part of path.split('.')) {
    if (typeof node !== 'object') return undefined;
    node = node[part];
  }
  return node;
}

const srcDir = join(import.meta.dirname, '..');
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return /\.tsx?$/.test(name) && !name.endsWith('.test.ts') ? [full] : [];
  });
}
const code = sources(srcDir)
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

describe('translations', () => {
  const enKeys = new Set(leaves(en as Tree).map(base));
  const zhKeys = new Set(leaves(zhCN as Tree).map(base));

  it('English and Chinese have exactly the same keys', () => {
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
  });

  it('keep the same {{placeholders}} in both languages', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const mismatched = leaves(zhCN as Tree).filter((key) => {
      const zh = lookup(zhCN as Tree, key) as string;
      const enText = lookup(en as Tree, key) ?? lookup(en as Tree, key.replace(/_other$/, '_one'));
      return typeof enText === 'string' && placeholders(zh).join() !== placeholders(enText).join();
    });
    expect(mismatched).toEqual([]);
  });

  it('every literal key used in the code exists', () => {
    const used = [...code.matchAll(/\bt\(\s*'([a-zA-Z0-9_.-]+)'/g)].map((m) => m[1]!);
    expect(used.length).toBeGreaterThan(100);
    const missing = used.filter((k) => !enKeys.has(k) && typeof lookup(en as Tree, k) !== 'string');
    expect([...new Set(missing)]).toEqual([]);
  });

  it('every computed key family used in the code exists', () => {
    const prefixes = [...code.matchAll(/\bt\(\s*`([a-zA-Z0-9_.-]+)\.\$\{/g)].map((m) => m[1]!);
    expect(prefixes.length).toBeGreaterThan(5);
    const missing = prefixes.filter((p) => typeof lookup(en as Tree, p) !== 'object');
    expect([...new Set(missing)]).toEqual([]);
  });

  it('has a Chinese explanation for every sync state and every refusal code the core reports', () => {
    for (const k of ['sync.offline', 'sync.connecting', 'sync.synced', 'editor.modes.adjustment']) {
      expect(typeof lookup(zhCN as Tree, k)).toBe('string');
    }
    const entryCodes = [
      ...readFileSync(join(srcDir, '../../shared/ledger/entry-errors.ts'), 'utf8').matchAll(
        /^\s*\| '([a-z_]+)'/gm,
      ),
    ].map((m) => m[1]!);
    expect(entryCodes.length).toBeGreaterThan(8);
    const ledgerDir = join(srcDir, '../../shared/ledger');
    const foldCodes = readdirSync(ledgerDir)
      .filter((f) => f.startsWith('fold') && f.endsWith('.ts') && !f.includes('.test.'))
      .flatMap((f) =>
        [...readFileSync(join(ledgerDir, f), 'utf8').matchAll(/problem\(\s*'([a-z_]+)'/g)].map((m) => m[1]!),
      );
    expect(foldCodes.length).toBeGreaterThan(5);
    for (const code of [...entryCodes, ...foldCodes, 'fork', 'key_mismatch', 'not_bytes']) {
      expect(typeof lookup(zhCN as Tree, `reconcile.reasons.${code}`)).toBe('string');
    }
  });

  it('picks Chinese for any zh browser locale and English otherwise', () => {
    expect(detectLanguage(['zh-TW', 'en'])).toBe('zh-CN');
    expect(detectLanguage(['de-DE', 'en-GB'])).toBe('en');
    expect(detectLanguage(['fr'])).toBe('en');
  });
});
