import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { buildMetaCsp } from './electron/main/csp';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Bakes the CSP into the built index.html as a <meta> fallback (the app:// protocol also sends
 * it as a header). Build only: the dev server needs inline scripts for React Refresh.
 */
function cspMetaTag(): Plugin {
  return {
    name: 'tally:csp-meta',
    apply: 'build',
    transformIndexHtml: () => [
      {
        tag: 'meta',
        attrs: { 'http-equiv': 'Content-Security-Policy', content: buildMetaCsp() },
        injectTo: 'head-prepend',
      },
    ],
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: here('out/main'),
      // package.json dependencies (the relay's ws, pino, y-leveldb with native classic-level)
      // stay external: they are loaded from node_modules (unpacked from asar where native).
      externalizeDeps: true,
      // relay.js: the entry of the relays' utility process (electron/relay-process), next to index.js.
      rolldownOptions: {
        input: { index: here('electron/main/index.ts'), relay: here('electron/relay-process/index.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: here('out/preload'),
      // A sandboxed preload cannot load other files or packages: one self-contained CommonJS
      // file that requires nothing but 'electron'.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: here('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs', codeSplitting: false },
      },
    },
  },
  renderer: {
    root: here('renderer'),
    plugins: [react(), cspMetaTag()],
    build: {
      outDir: here('out/renderer'),
      rolldownOptions: { input: { index: here('renderer/index.html') } },
    },
  },
});
