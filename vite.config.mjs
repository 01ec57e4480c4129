import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vite';

/**
 * The browser pages Hela serves itself (src/ui/ui.route.ts): the GraphQL IDE (GraphiQL) at /ide and
 * the console at /console, built into dist/ui by scripts/build.mjs. Everything they load is in the
 * bundle: no CDN, no inline script (the pages run under a CSP without 'unsafe-inline' for scripts).
 */
export default defineConfig({
  root: fileURLToPath(new URL('./ui', import.meta.url)),
  base: '/ui/',
  logLevel: 'error',
  build: {
    outDir: fileURLToPath(new URL('./dist/ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be an inline script; every browser the pages support preloads modules natively.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 6000,
    rollupOptions: {
      input: {
        ide: fileURLToPath(new URL('./ui/ide/index.html', import.meta.url)),
        console: fileURLToPath(new URL('./ui/console/index.html', import.meta.url)),
      },
    },
  },
  worker: { format: 'es' },
});
