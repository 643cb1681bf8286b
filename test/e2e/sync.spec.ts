import { expect, login, openHospital, openWorkstation, test, TEST_HOSPITAL_LABEL, waitForFirstReplica } from './fixtures';

test.setTimeout(240_000);

test('sync state, panel and first-replica progress on screen (screenshots at 1600×1000 and 1280×800)', async ({ browser }) => {
  const hospital = await openHospital(600);
  // Slow answers: the first replica lasts long enough to be seen.
  hospital.setControls({ latencyMs: 400 });
  const ws = await openWorkstation({ hospital, name: 'Poste captures' });
  try {
    for (const viewport of [{ width: 1600, height: 1000 }, { width: 1280, height: 800 }]) {
      const page = await (await browser.newContext({ viewport })).newPage();
      await page.goto(ws.url);
      await login(page, 'medecin');
      const tag = `${viewport.width}x${viewport.height}`;
      if (viewport.width === 1600) {
        const bar = page.getByRole('progressbar').first();
        await expect(bar).toBeVisible({ timeout: 30_000 });
        await page.screenshot({ path: `test-results/sync-first-replica-${tag}.png` });
        hospital.setControls({ latencyMs: 0 });
      }
      await waitForFirstReplica(page);
      await expect(page.getByTestId('sync-server')).toHaveText(TEST_HOSPITAL_LABEL);
      await page.screenshot({ path: `test-results/sync-header-${tag}.png` });
      await page.getByTestId('sync-indicator').click();
      const panel = page.getByRole('dialog', { name: 'Synchronisation' });
      await expect(panel.getByTestId('sync-cache')).toContainText('À jour');
      await page.screenshot({ path: `test-results/sync-panel-${tag}.png` });
      await page.context().close();
    }
  } finally {
    await ws.close();
    await hospital.close();
  }
});
