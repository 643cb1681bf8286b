import { test as base, expect, type Page } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startBrowserHost, type BrowserHost } from '../../src/main/browser-host/server';
import { createTestClock } from '../../src/main/host/clock';
import { createHost, type Host } from '../../src/main/host/host';
import { createMemoryLogger } from '../../src/main/host/logger';
import { DEMO_ACCOUNTS } from '../../src/main/auth/demo';
import { embeddedTestDmp } from '../../src/main/dmp/sandbox/embedded';
import type { HospitalTestServer, startHospitalTestServer as StartHospitalTestServer } from '../../src/main/hospital/test-server';
import { freshDataDir } from '../support/host';

export interface Workstation {
  url: string;
  host: Host;
  server: BrowserHost;
  dataDir: string;
  /** Main's clock: tests move it to cross the idle delay or break-glass expiry. */
  clock: ReturnType<typeof createTestClock>;
}

/** What the embedded test server is called on screen, as the composition roots label it. */
export const TEST_HOSPITAL_LABEL = 'Serveur hospitalier de test';

/**
 * A workstation: a browser host on a free port with a fresh demo data directory, syncing with
 * `hospital` when one is given (several workstations may share one hospital server).
 */
export async function openWorkstation(opts: { hospital?: HospitalTestServer; name?: string } = {}): Promise<Workstation & { close(): Promise<void> }> {
  const dataDir = await freshDataDir('demo');
  const clock = createTestClock(new Date());
  const hospital = opts.hospital ? { hospital: { baseUrl: opts.hospital.url, label: TEST_HOSPITAL_LABEL, test: true } } : {};
  const host = await createHost({ dataDir, mode: 'browser', clock, logger: createMemoryLogger(), version: 'e2e', workstationName: opts.name ?? 'Poste e2e', dmp: embeddedTestDmp(), ...hospital });
  const server = await startBrowserHost({ host, rendererDir: path.resolve(__dirname, '..', '..', 'out', 'renderer') });
  return {
    url: server.url,
    host,
    server,
    dataDir,
    clock,
    async close() {
      await server.close();
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A hospital test server in its own temp dir, seeded with the demo generator's population. */
export async function openHospital(patients: number): Promise<HospitalTestServer & { dataDir: string }> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hospital-e2e-'));
  // Loaded on demand: Medplum needs Node's WebSocket (--experimental-websocket), which the config gives the
  // workers but not the process that lists the tests.
  // require, not import(): Playwright compiles required TypeScript, not dynamically imported modules.
  const { startHospitalTestServer } = require('../../src/main/hospital/test-server') as { startHospitalTestServer: typeof StartHospitalTestServer };
  const server = await startHospitalTestServer({ dataDir, ...(patients > 0 ? { seed: { patients, seed: 2026 } } : {}) });
  const closeServer = server.close.bind(server);
  return Object.assign(server, {
    dataDir,
    async close() {
      await closeServer();
      rmSync(dataDir, { recursive: true, force: true });
    },
  });
}

/**
 * Each test gets its own workstation. `hospitalPatients` > 0 (test.use) gives it its own hospital
 * test server seeded with that many patients, which it replicates once signed in.
 */
export const test = base.extend<{ hospitalPatients: number; hospital: (HospitalTestServer & { dataDir: string }) | null; workstation: Workstation }>({
  hospitalPatients: [0, { option: true }],
  hospital: async ({ hospitalPatients }, use) => {
    const hospital = hospitalPatients > 0 ? await openHospital(hospitalPatients) : null;
    await use(hospital);
    await hospital?.close();
  },
  workstation: async ({ hospital }, use) => {
    const ws = await openWorkstation(hospital ? { hospital } : {});
    await use(ws);
    await ws.close();
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

/**
 * Waits until this workstation holds the hospital's record: main's first replica done and the
 * renderer's cache caught up with main (the header says so).
 */
export async function waitForFirstReplica(page: Page, timeout = 180_000): Promise<void> {
  await expect(page.getByTestId('sync-state')).toHaveText('En ligne · à jour', { timeout });
}
