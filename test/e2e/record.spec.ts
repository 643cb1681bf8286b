import { expect, importDemo, login, openPatient, test } from './fixtures';

test('seed 1,000 patients, find one by a partial accented name, chart with timeline and lab trend, then offline reload', async ({ page, context, workstation }) => {
  test.setTimeout(300_000);
  await page.goto(workstation.url);
  await login(page, 'medecin');
  await importDemo(page, 1000);

  await openPatient(page, 'Rivièr patr', /RIVIÈRE Patricia/);
  // Her Cardiologie stays ended years ago: main's care index no longer opens her to the unit.
  await expect(page.getByTestId('access-denied')).toContainText('pas suivi dans vos unités');
  await page.getByRole('button', { name: 'Accès exceptionnel (bris de glace)…' }).click();
  await page.getByLabel('Justification').fill('Réadmission probable, antécédents cardiologiques à revoir');
  await page.getByRole('button', { name: 'Accéder au dossier' }).click();
  await expect(page.getByTestId('identity-banner')).toContainText('RIVIÈRE Patricia');
  await expect(page.getByTestId('identity-banner')).toContainText('04/07/1952');
  await expect(page.getByTestId('timeline')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/chart.png', fullPage: true });
  await page.getByRole('button', { name: 'Biologie' }).click();
  await expect(page.getByTestId('lab-trend')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/labs.png', fullPage: true });
  await page.getByRole('button', { name: /^Documents/ }).click();
  await page.locator('.document-item').first().click();
  await expect(page.locator('.document-viewer')).not.toContainText('Ouverture du document');
  await page.screenshot({ path: 'test-results/screens/document.png', fullPage: true });

  // The network goes down: nothing leaves the machine any more, and the browser says it is offline.
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort('internetdisconnected'));
  await page.addInitScript(() => Object.defineProperty(Navigator.prototype, 'onLine', { configurable: true, get: () => false }));
  await page.reload();
  await expect(page.getByTestId('online-indicator')).toContainText('Hors ligne');
  await openPatient(page, 'riviere pat', /RIVIÈRE Patricia/);
  await expect(page.getByTestId('identity-banner')).toContainText('RIVIÈRE Patricia');
  await page.screenshot({ path: 'test-results/screens/offline-chart.png' });
  const opened = (await workstation.host.journal.query({ type: 'chart.open' })).entries;
  expect(opened.length).toBe(2);
  expect(opened.map((e) => [e.patient?.ipp, e.purposeOfUse?.code])).toEqual([
    ['100000097', 'bris_de_glace_local'],
    ['100000097', 'bris_de_glace_local'],
  ]);
});
