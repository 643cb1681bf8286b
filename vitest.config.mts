import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Two projects: the host core and shared code run under plain Node (as in the
// browser host and CLIs); renderer code runs under happy-dom.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/main/**/*.test.ts', 'test/unit/shared/**/*.test.ts', 'test/unit/tools/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          // Medplum (the hospital test server) needs a global WebSocket, behind this flag on Node 20.
          execArgv: ['--experimental-websocket'],
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          include: ['test/unit/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['test/unit/renderer/setup.ts'],
          testTimeout: 30_000,
        },
      },
    ],
  },
});
