// Renderer bundle: root renderer/, output dist/renderer at the repo root, relative asset paths so
// the same files load from file:// (Electron) and from the web host. The repo is CommonJS, so
// this config is too: __dirname, and plugin-react's CJS entry, which takes its options object.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: __dirname,
  base: './',
  plugins: [react({})],
  build: {
    // Relative to root (renderer/): dist/renderer at the repo root.
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // No inline <script> or module-preload polyfill: the CSP allows only script-src 'self'.
    modulePreload: { polyfill: false },
  },
  worker: { format: 'es' },
});
