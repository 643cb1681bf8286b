import { account, expect, importDemo, login, openPatient, test } from './fixtures';

test('a secretary cannot open the clinical view; a doctor can; idle locks and hides the patient; unlock', async ({ page, workstation }) => {
  test.setTimeout(180_000);
  await page.clock.install();
  await page.goto(workstation.url);
  await login(page, 'secretaire_medicale');
  await importDemo(page, 150);
  // A current Cardiologie inpatient per main's care index (a demo DMP patient).
  await openPatient(page, 'moreau louise', /MOREAU Louise/);
  await expect(page.getByTestId('admin-file')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Biologie' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Ouvrir le dossier clinique' }).click();
  await expect(page.getByTestId('clinical-refused')).toHaveText('Votre rôle ne permet pas cette action.');
  await page.screenshot({ path: 'test-results/screens/secretary-refused.png' });
  const denied = await workstation.host.journal.query({ type: 'access.denied' });
  expect(denied.entries.at(-1)).toMatchObject({ agent: { userId: account('secretaire_medicale').id }, detail: { method: 'record.openChart', reason: 'role' } });

  await page.getByRole('button', { name: 'Changer d’utilisateur' }).click();
  await login(page, 'medecin');
  await openPatient(page, 'moreau louise', /MOREAU Louise/);
  await expect(page.getByTestId('chart')).toBeVisible();
  await expect(page.getByTestId('identity-banner')).toContainText('MOREAU Louise');

  // The doctor walks away: 5 minutes without input on both clocks.
  workstation.clock.advance(5 * 60 * 1000 + 1000);
  await page.clock.fastForward('05:01');
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByText('MOREAU')).toHaveCount(0);
  await expect(page.getByText('Louise')).toHaveCount(0);
  await expect(page.getByTestId('chart')).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screens/locked-after-chart.png' });
  await page.getByLabel('Mot de passe').fill(account('medecin').password);
  await page.getByRole('button', { name: 'Déverrouiller' }).click();
  await expect(page.getByLabel('Rechercher un patient')).toBeVisible();
});

test('a doctor reaches a patient outside her units only through break-glass, with a red banner', async ({ page, workstation }) => {
  test.setTimeout(180_000);
  await page.goto(workstation.url);
  await login(page, 'interne');
  await importDemo(page, 150);
  await openPatient(page, 'riviere patricia', /RIVIÈRE Patricia/);
  await expect(page.getByTestId('access-denied')).toContainText('pas suivi dans vos unités');
  await page.getByRole('button', { name: 'Accès exceptionnel (bris de glace)…' }).click();
  await page.getByLabel('Justification').fill('Avis demandé en urgence par le réanimateur de garde');
  await page.getByRole('button', { name: 'Accéder au dossier' }).click();
  await expect(page.getByTestId('break-glass-banner')).toContainText('Accès exceptionnel');
  await expect(page.getByTestId('chart')).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/break-glass.png' });
  const entries = (await workstation.host.journal.query({ type: 'chart.open' })).entries;
  expect(entries.at(-1)?.purposeOfUse).toMatchObject({ code: 'bris_de_glace_local', justification: 'Avis demandé en urgence par le réanimateur de garde' });
});
