import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The browser build works offline after its first visit: a Workbox service worker precaches the
 * app shell (every built file), and /config.json (which relay to use) is fetched network-first
 * with the last answer kept for offline starts. Registered by a separate registerSW.js (the CSP
 * allows no inline script); the desktop build has no service worker (its files are local).
 */
const pwa = VitePWA({
  registerType: 'autoUpdate',
  injectRegister: 'script',
  manifest: {
    name: 'Tally',
    short_name: 'Tally',
    description: 'Shared expenses that work offline',
    display: 'standalone',
    start_url: './',
    scope: './',
    theme_color: '#0f766e',
    background_color: '#ffffff',
    icons: [{ src: 'icon.png', sizes: '1024x1024', type: 'image/png', purpose: 'any' }],
  },
  workbox: {
    globPatterns: ['**/*.{js,css,html,wasm,png,svg,woff2,json}'],
    // The sodium WebAssembly chunk is large; the shell must work offline with it.
    maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
    runtimeCaching: [
      {
        urlPattern: ({ url }) => url.pathname.endsWith('/config.json'),
        handler: 'NetworkFirst',
        options: { cacheName: 'tally-config', networkTimeoutSeconds: 3 },
      },
    ],
  },
});

// The browser build of the renderer: same sources as the Electron renderer, served as static files.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs so the build works from any path (file server sub-folder, file://).
  base: './',
  plugins: [react(), pwa],
  build: {
    outDir: fileURLToPath(new URL('../out/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
    // No <link rel="modulepreload"> injection for dynamic imports: inserting them costs the
    // start-up's busy main thread more (tens of ms on a slow machine) than fetching a chunk's
    // few imports after it arrives, which overlaps work the main thread is doing anyway.
    modulePreload: false,
  },
  server: { port: 5173, strictPort: false },
});
