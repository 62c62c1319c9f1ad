/**
 * Builds the tree and list benchmark page (bench.html) — only when asked:
 *   npx vite build --config renderer/src/dev/vite.bench.config.ts
 * It is not part of the app bundle; measure.mjs builds and serves it for Playwright.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root: here,
  base: './',
  plugins: [react()],
  worker: { format: 'es' },
  build: {
    outDir: `${here}../../../dist/renderer-bench`,
    emptyOutDir: true,
    // Readable stacks in CPU profiles of the benchmark; V8 runs it no slower.
    minify: false,
    rollupOptions: { input: `${here}bench.html` },
  },
});
