import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // Worker threads are their own entries, landing beside index.js where the
      // host core looks for them (`<name>.js` next to the bundled main).
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          'forge-worker': resolve(__dirname, 'src/main/auth/pki/forge-worker.ts'),
          'signer-worker': resolve(__dirname, 'src/main/audit/signer-worker.ts'),
          'verify-worker': resolve(__dirname, 'src/main/audit/verify-worker.ts'),
          'dmp-signer-worker': resolve(__dirname, 'src/main/dmp/dmp-signer-worker.ts'),
          'cda-worker': resolve(__dirname, 'src/main/dmp/cda-worker.ts'),
        },
      },
    },
  },
  preload: {
    // The sandboxed preload cannot require node_modules: bundle everything it uses (zod, the contract).
    build: {
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
