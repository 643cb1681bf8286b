import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The renderer as the app builds it, plus the benchmark's own page (bench/bench.html) and the
 * probes it loads into the app page, built into .bench-cache/renderer only: the production
 * build (electron.vite.config.ts) never contains them.
 */
// BENCH_RECORD_SRC: a snapshot of the committed tree (the driver's default), else this checkout.
const root = resolve(process.env.BENCH_RECORD_SRC ?? resolve(__dirname, '..', '..'), 'src', 'renderer');

export default defineConfig({
  root,
  base: './',
  plugins: [react()],
  logLevel: 'warn',
  build: {
    outDir: resolve(__dirname, '..', '..', '.bench-cache', 'renderer'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 5000,
    rollupOptions: {
      input: {
        index: resolve(root, 'index.html'),
        bench: resolve(root, 'bench', 'bench.html'),
        probes: resolve(root, 'bench', 'probes.ts'),
      },
      output: {
        // The driver loads the probes by a fixed URL.
        entryFileNames: (chunk) => (chunk.name === 'probes' ? 'bench/probes.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
});
