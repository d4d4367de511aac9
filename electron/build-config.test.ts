import { readFileSync } from 'node:fs';
import type { Plugin } from 'vite';
import { describe, expect, it } from 'vitest';
import config from '../electron.vite.config';
import { buildMetaCsp } from './main/csp';

type Build = {
  externalizeDeps?: unknown;
  rolldownOptions?: { input?: Record<string, string>; output?: unknown };
};
const resolved = config as {
  main: { build: Build };
  preload: { build: Build };
  renderer: { root: string; plugins: Plugin[]; build: { outDir: string } };
};

describe('electron.vite.config', () => {
  it('builds the main process from electron/main/index.ts', () => {
    expect(resolved.main.build.rolldownOptions?.input?.index).toMatch(/electron\/main\/index\.ts$/);
  });

  it('builds the relay’s utility process as out/main/relay.js, the file app.ts forks', () => {
    expect(resolved.main.build.rolldownOptions?.input?.relay).toMatch(/electron\/relay-process\/index\.ts$/);
    expect(readFileSync(new URL('./main/app.ts', import.meta.url), 'utf8')).toContain(
      "join(mainDir, 'relay.js')",
    );
  });

  it('emits the preload as one self-contained CommonJS file, as a sandboxed preload requires', () => {
    const build = resolved.preload.build;
    expect(build.externalizeDeps).toBe(false);
    expect(build.rolldownOptions?.input?.index).toMatch(/electron\/preload\/index\.ts$/);
    expect(build.rolldownOptions?.output).toMatchObject({
      format: 'cjs',
      entryFileNames: '[name].cjs',
      codeSplitting: false,
    });
  });

  it('bundles every devDependency: only package.json dependencies stay external, in main and nowhere else', () => {
    // externalizeDeps: true leaves `dependencies` to node_modules (shipped by electron-builder);
    // what moved to devDependencies (renderer packages, lib0, …) is bundled into out/.
    expect(resolved.main.build.externalizeDeps).toBe(true);
    const renderer = resolved.renderer.build as { rolldownOptions?: { external?: unknown } };
    expect(renderer.rolldownOptions?.external).toBeUndefined();
    expect(resolved.preload.build.externalizeDeps).toBe(false);
  });

  it('builds the renderer from renderer/ into out/renderer', () => {
    expect(resolved.renderer.root).toMatch(/renderer$/);
    expect(resolved.renderer.build.outDir).toMatch(/out\/renderer$/);
  });

  it('bakes the CSP meta tag into the built page, first thing in <head>, at build time only', () => {
    const plugin = resolved.renderer.plugins.flat().find((p) => p?.name === 'tally:csp-meta')!;
    expect(plugin.apply).toBe('build');
    const tags = (plugin.transformIndexHtml as () => unknown)();
    expect(tags).toEqual([
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: buildMetaCsp() },
        injectTo: 'head-prepend',
      },
    ]);
  });
});
