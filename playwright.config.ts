import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

// The e2e fixtures start the hospital test server (Medplum) in the workers, which needs a global
// WebSocket: behind a flag on Node 20; workers inherit NODE_OPTIONS from here.
if (!('WebSocket' in globalThis) && !(process.env.NODE_OPTIONS ?? '').includes('--experimental-websocket')) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --experimental-websocket`.trim();
}

/**
 * e2e tests drive the browser host in Chromium. The browser comes from
 * CHROMIUM_PATH, then Debian's /usr/bin/chromium, then Playwright's own download
 * (for machines that can fetch it).
 */
function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p));
}

export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
    viewport: { width: 1440, height: 900 },
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--lang=fr-FR', '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
  },
});
