import { test as base, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/server';
import { systemClock } from '../../src/main/host/clock';
import { createHost, type Host } from '../../src/main/host/host';
import { createMemoryLogger } from '../../src/main/host/logger';

export interface Workstation {
  url: string;
  host: Host;
  server: BrowserHost;
  dataDir: string;
}

/** Each test gets its own browser host on a free port with a fresh data directory. */
export const test = base.extend<{ workstation: Workstation }>({
  // Playwright requires the destructuring form even when no other fixture is used.
  // eslint-disable-next-line no-empty-pattern
  workstation: async ({}, use) => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ws-e2e-'));
    const host = await createHost({ dataDir, mode: 'browser', clock: systemClock, logger: createMemoryLogger(), version: 'e2e', workstationName: 'Poste e2e' });
    const server = await startBrowserHost({ host, rendererDir: path.resolve(__dirname, '..', '..', 'out', 'renderer') });
    await use({ url: server.url, host, server, dataDir });
    await server.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect };
