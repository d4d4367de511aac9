import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The browser build of the renderer: same sources as the Electron renderer, served as static files.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Relative asset URLs so the build works from any path (file server sub-folder, file://).
  base: './',
  plugins: [react()],
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
