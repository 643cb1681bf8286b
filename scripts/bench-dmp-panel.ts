/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { DEMO_ACCOUNTS } from '../src/main/auth/demo';
import { startBrowserHost } from '../src/main/browser-host/server';
import { embeddedTestDmp } from '../src/main/dmp/sandbox/embedded';
import { createTestClock } from '../src/main/host/clock';
import { createHost } from '../src/main/host/host';
import { createMemoryLogger } from '../src/main/host/logger';
import { freshDataDir } from '../test/support/host';

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * The DMP panel in Chromium through the browser host and the embedded DMP de test:
 * - consentToListP95Ms: click on the DMP tab of a patient with a valid authorisation
 *   (MOREAU Louise for dr.martin: TD0.2 then ITI-18) until the document rows are painted;
 * - retrieveRenderP95Ms: click on the newest document (a ~350 KB structured lab report)
 *   until its sections are painted (ITI-43, parse, render).
 * Each round reloads the page, so the memory cache is empty and every call really happens.
 * Times are taken in the page: performance.now() at the click, then the first frame after
 * the awaited element appeared.
 */
export async function runDmpPanelBench(opts: { iterations?: number; chromiumPath?: string } = {}): Promise<{ consentToListP95Ms: number; retrieveRenderP95Ms: number; panelDocuments: number }> {
  const iterations = opts.iterations ?? 20;
  const dataDir = await freshDataDir('demo');
  const host = await createHost({ dataDir, mode: 'browser', clock: createTestClock(new Date()), logger: createMemoryLogger(), version: 'bench', workstationName: 'Poste bench', dmp: embeddedTestDmp() });
  const server = await startBrowserHost({ host, rendererDir: path.resolve(__dirname, '..', 'out', 'renderer') });
  const browser = await chromium.launch({ executablePath: opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    const doc = DEMO_ACCOUNTS.find((a) => a.id === 'dr.martin')!;
    await page.getByLabel('Identifiant').fill(doc.id);
    await page.getByLabel('Mot de passe').fill(doc.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    // The demo import puts the DMP demo patients in the local record (IndexedDB keeps them across reloads).
    await page.getByRole('button', { name: 'Importer des données…' }).click();
    await page.getByLabel('Patients de démonstration').fill('20');
    await page.getByRole('button', { name: 'Générer et importer' }).click();
    await page.getByTestId('import-report').waitFor({ timeout: 120_000 });
    const list: number[] = [];
    const render: number[] = [];
    let rows = 0;
    for (let i = 0; i < iterations + 2; i++) {
      await page.reload();
      await page.getByLabel('Rechercher un patient').fill('moreau louise');
      await page.getByRole('option', { name: /MOREAU Louise/ }).first().click();
      await page.getByRole('button', { name: 'DMP', exact: true }).waitFor();
      const t1 = await timedClick(page, 'tab:DMP', '[data-testid="dmp-row"]');
      rows = await page.locator('[data-testid="dmp-row"]').count();
      const t2 = await timedClick(page, '[data-testid="dmp-row"] button', '.cda-section');
      if (i >= 2) {
        list.push(t1);
        render.push(t2);
      }
    }
    return { consentToListP95Ms: p95(list), retrieveRenderP95Ms: p95(render), panelDocuments: rows };
  } finally {
    await browser.close();
    await server.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Clicks in the page itself (no driver round trip in the measure) and waits for `selector` painted. */
async function timedClick(page: Page, target: string, selector: string): Promise<number> {
  await page.evaluate((t) => {
    const el = t.startsWith('tab:')
      ? Array.from(document.querySelectorAll<HTMLButtonElement>('nav button')).find((b) => b.textContent?.trim() === t.slice(4))
      : document.querySelector<HTMLElement>(t);
    if (!el) throw new Error(`élément introuvable : ${t}`);
    (window as unknown as { __t0: number }).__t0 = performance.now();
    el.click();
  }, target);
  await page.waitForSelector(selector);
  return page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - (window as unknown as { __t0: number }).__t0))));
}

function p95(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]! * 100) / 100;
}
