import { test as base, expect, type Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/server';
import { createTestClock } from '../../src/main/host/clock';
import { createHost, type Host } from '../../src/main/host/host';
import { createMemoryLogger } from '../../src/main/host/logger';
import { DEMO_ACCOUNTS } from '../../src/main/auth/demo';
import { embeddedTestDmp } from '../../src/main/dmp/sandbox/embedded';
import { freshDataDir } from '../support/host';

export interface Workstation {
  url: string;
  host: Host;
  server: BrowserHost;
  dataDir: string;
  /** Main's clock: tests move it to cross the idle delay or break-glass expiry. */
  clock: ReturnType<typeof createTestClock>;
}

/** Each test gets its own browser host on a free port with a fresh demo data directory. */
export const test = base.extend<{ workstation: Workstation }>({
  // Playwright requires the destructuring form even when no other fixture is used.
  // eslint-disable-next-line no-empty-pattern
  workstation: async ({}, use) => {
    const dataDir = await freshDataDir('demo');
    const clock = createTestClock(new Date());
    const host = await createHost({ dataDir, mode: 'browser', clock, logger: createMemoryLogger(), version: 'e2e', workstationName: 'Poste e2e', dmp: embeddedTestDmp() });
    const server = await startBrowserHost({ host, rendererDir: path.resolve(__dirname, '..', '..', 'out', 'renderer') });
    await use({ url: server.url, host, server, dataDir, clock });
    await server.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export function account(role: (typeof DEMO_ACCOUNTS)[number]['role']) {
  return DEMO_ACCOUNTS.find((a) => a.role === role)!;
}

/** Signs in through the login screen, as a person would. */
export async function login(page: Page, role: (typeof DEMO_ACCOUNTS)[number]['role']): Promise<void> {
  const a = account(role);
  await page.getByLabel('Identifiant').fill(a.id);
  await page.getByLabel('Mot de passe').fill(a.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByTestId('current-user')).toContainText(a.displayName);
}

export { expect };

/** Loads a generated demonstration population through the app's own import screen. */
export async function importDemo(page: Page, patients: number): Promise<void> {
  await page.getByRole('button', { name: 'Importer des données…' }).click();
  await page.getByLabel('Patients de démonstration').fill(String(patients));
  await page.getByRole('button', { name: 'Générer et importer' }).click();
  await expect(page.getByTestId('import-report')).toContainText(`${patients.toLocaleString('fr-FR')} patient(s) importé(s)`, { timeout: 180_000 });
  await page.getByRole('button', { name: 'Fermer' }).click();
}

/** Types in the patient search box and opens the first result whose name matches. */
export async function openPatient(page: Page, query: string, name: RegExp): Promise<void> {
  await page.getByLabel('Rechercher un patient').fill(query);
  await page.getByRole('option', { name }).first().click();
}
