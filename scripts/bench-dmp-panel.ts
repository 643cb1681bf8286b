/// <reference lib="dom" />
import { rmSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { DEMO_ACCOUNTS } from '../src/main/auth/demo';
import { startBrowserHost } from '../src/main/browser-host/server';
import { createTestClock } from '../src/main/host/clock';
import { createHost } from '../src/main/host/host';
import { createMemoryLogger } from '../src/main/host/logger';
import { freshDataDir } from '../test/support/host';

/**
 * Browser-measured DMP panel figures, merged by the lead into `npm run bench:dmp -- --json`:
 * - consentToListP95Ms: DMP tab opened with a valid authorisation → document list painted;
 * - retrieveRenderP95Ms: click on a level-3 document → its body painted.
 * Needs the built renderer (npm run build) with the chart hosting <DmpPanel/> behind a "DMP"
 * tab, and the record seed holding the DMP demo patients (MOREAU Louise has a VALIDE
 * authorisation for dr.martin). Times are taken in the page (performance.now + a paint frame).
 */
export async function runDmpPanelBench(opts: { iterations?: number; chromiumPath?: string } = {}): Promise<{ consentToListP95Ms: number; retrieveRenderP95Ms: number }> {
  const iterations = opts.iterations ?? 20;
  const dataDir = await freshDataDir('demo');
  const host = await createHost({ dataDir, mode: 'browser', clock: createTestClock(new Date()), logger: createMemoryLogger(), version: 'bench', workstationName: 'Poste bench' });
  const server = await startBrowserHost({ host, rendererDir: path.resolve(__dirname, '..', 'out', 'renderer') });
  const browser = await chromium.launch({ executablePath: opts.chromiumPath ?? process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(server.url);
    const doc = DEMO_ACCOUNTS.find((a) => a.id === 'dr.martin')!;
    await page.getByLabel('Identifiant').fill(doc.id);
    await page.getByLabel('Mot de passe').fill(doc.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const list: number[] = [];
    const render: number[] = [];
    for (let i = 0; i < iterations + 2; i++) {
      // A reload empties the renderer's memory cache, so each opening really calls TD0.2 + ITI-18.
      await page.reload();
      await page.getByRole('searchbox').fill('moreau louise');
      await page.getByRole('button', { name: /MOREAU Louise/ }).first().click();
      const t1 = await timed(page, () => page.getByRole('button', { name: /^DMP/ }).click(), '[data-testid="dmp-row"]');
      const t2 = await timed(page, () => page.getByRole('button', { name: /Ouvrir Compte rendu de biologie/ }).first().click(), '.cda-section');
      if (i >= 2) {
        list.push(t1);
        render.push(t2);
      }
    }
    return { consentToListP95Ms: p95(list), retrieveRenderP95Ms: p95(render) };
  } finally {
    await browser.close();
    await server.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** From the click to the first frame painted after `selector` appeared. */
async function timed(page: Page, click: () => Promise<void>, selector: string): Promise<number> {
  await page.evaluate(() => ((window as unknown as { __t0: number }).__t0 = performance.now()));
  await click();
  await page.waitForSelector(selector);
  return page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - (window as unknown as { __t0: number }).__t0))));
}

function p95(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]! * 100) / 100;
}

if (require.main === module) {
  runDmpPanelBench().then(
    (f) => console.log(JSON.stringify(f)),
    (e: Error) => {
      console.error(`Mesure du panneau DMP impossible : ${e.message}`);
      process.exit(1);
    },
  );
}
