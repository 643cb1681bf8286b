import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { admit } from '../support/care';
import { pdfText } from '../support/pdf-text';
import { account, expect, importDemo, login, openPatient, test } from './fixtures';

/** Both sizes the ward's screens come in; the file tool shows them to the reviewer. */
async function screens(page: Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1600, 1000],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `test-results/screens/${name}-${w}.png` });
  }
}

/** No journal code (dmp.integrate, security.breakglass.start…) in what the DPO reads. */
async function expectNoRawCode(page: Page): Promise<void> {
  const text = await page.locator('main, body').first().innerText();
  expect(text).not.toMatch(/\b(dmp|record|security|auth|journal|chart|identity|users|access)\.[a-z_]+/);
}

test('the DPO searches the journal, reviews a break-glass episode, verifies and hands the patient the report', async ({ page, workstation }) => {
  test.setTimeout(120_000);
  // Earlier in the day: a mistyped login, then a doctor opened a chart outside her unit under break-glass.
  const ctx = { clientId: 'earlier-doctor', transport: 'ipc' as const };
  const doc = account('medecin');
  const patient = admit(workstation.host.careIndex, { id: 'pat-e2e', ipp: '700000042', unit: 'Urgences' });
  await workstation.host.dispatch('session.login', { userId: 'dr.martinn', password: 'pas-le-bon-mot-de-passe' }, ctx);
  await workstation.host.dispatch('session.login', { userId: doc.id, password: doc.password }, ctx);
  await workstation.host.dispatch('session.breakGlassStart', { patient, reason: 'urgence_vitale', justification: 'Détresse respiratoire, dossier nécessaire' }, ctx);
  await workstation.host.dispatch('record.openChart', { patient }, ctx);
  await workstation.host.dispatch('session.breakGlassEnd', { patientId: patient.id }, ctx);

  await page.goto(workstation.url);
  await login(page, 'dpo');
  await expect(page.getByTestId('journal-count')).toContainText('entrée');
  await expect(page.getByRole('row').filter({ hasText: 'Ouverture du dossier clinique' })).toBeVisible();

  // A partial identifier finds the failed login, which names what was typed.
  await page.getByLabel('Utilisateur (identifiant ou nom, même partiel)').fill('MARTINN');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByTestId('journal-count')).toHaveText('1 entrée(s)');
  await expect(page.getByRole('row').filter({ hasText: 'Identifiant saisi : « dr.martinn »' })).toContainText('Échec');
  await screens(page, 'dpo-failed-login');

  await page.getByLabel('Utilisateur (identifiant ou nom, même partiel)').fill('');
  await page.getByLabel('Patient (nom, IPP ou INS)').fill('700000042');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByTestId('journal-count')).toHaveText('3 entrée(s)');
  await expectNoRawCode(page);

  await page.getByRole('button', { name: 'Accès exceptionnels à revoir' }).click();
  const card = page.getByTestId('episode').filter({ hasText: 'Dr Claire Martin' });
  await expect(card).toContainText('« Détresse respiratoire, dossier nécessaire »');
  await expect(card).toContainText('Urgence vitale');
  await expect(card).toContainText('fermé par l’utilisateur');
  await expect(card).toContainText('1 consultation(s) sous cet accès');
  await expect(page.getByRole('button', { name: 'À revoir (1)' })).toBeVisible();
  await screens(page, 'dpo-breakglass-queue');

  await card.getByRole('button', { name: 'Revoir cet accès…' }).click();
  const dialog = page.getByTestId('review-dialog');
  await dialog.getByLabel('Justifié').check();
  await dialog.getByRole('button', { name: 'Enregistrer la revue' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Indiquez en commentaire ce qui justifie cet accès.');
  await dialog.getByLabel(/Commentaire/).fill('Appel du SAMU confirmé par le cadre de garde.');
  await screens(page, 'dpo-review-dialog');
  await dialog.getByRole('button', { name: 'Enregistrer la revue' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'À revoir (0)' })).toBeVisible();
  await page.getByRole('button', { name: 'Justifié (1)' }).click();
  await expect(page.getByTestId('episode')).toContainText('Justifié par Nathalie Leroy');
  await expectNoRawCode(page);
  await screens(page, 'dpo-breakglass-reviewed');
  const reviews = await workstation.host.journal.query({ type: 'journal.review' });
  expect(reviews.entries.map((e) => [e.detail?.['status'], e.patient?.ipp])).toEqual([['justifie', '700000042']]);

  await page.getByRole('button', { name: 'Vérifier le journal' }).first().click();
  await page.getByRole('button', { name: 'Vérifier le journal' }).last().click();
  await expect(page.getByTestId('verify-verdict')).toContainText('Journal intègre');

  // A patient missing from the identity index: the report goes by the identifier alone.
  await page.getByRole('button', { name: 'Exports et relevés patient' }).click();
  await page.getByLabel('Patient (nom, IPP ou INS)').fill('700000042');
  await page.getByRole('button', { name: 'Rechercher le patient' }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Relevé PDF de la période' }).click();
  const file = await (await download).path();
  const text = (await pdfText(readFileSync(file))).replace(/\s+/g, ' ');
  expect(text).toContain('IPP 700000042');
  expect(text).toContain('Début d’accès exceptionnel (bris de glace)');
  expect(text).toContain('« Détresse respiratoire, dossier nécessaire »');
  await expect(page.getByText(/Relevé de 3 accès généré/)).toBeVisible();
  await screens(page, 'dpo-export');
});

test('the DPO finds a patient by name and the report names her', async ({ page, workstation }) => {
  test.setTimeout(240_000);
  await page.goto(workstation.url);
  await login(page, 'medecin');
  await importDemo(page, 150);
  await openPatient(page, 'riviere patricia', /RIVIÈRE Patricia/);
  // Her Cardiologie stays ended years ago: main's care index opens her only by break-glass.
  await page.getByRole('button', { name: 'Accès exceptionnel (bris de glace)…' }).click();
  await page.getByLabel('Justification').fill('Réadmission probable, antécédents cardiologiques à revoir');
  await page.getByRole('button', { name: 'Accéder au dossier' }).click();
  await expect(page.getByTestId('chart')).toBeVisible();
  await page.getByRole('button', { name: 'Changer d’utilisateur' }).click();
  await login(page, 'dpo');

  await page.getByLabel('Patient (nom, IPP ou INS)').fill('rivière patricia');
  await page.getByRole('button', { name: 'Filtrer' }).click();
  await expect(page.getByTestId('journal-patients')).toContainText(/RIVIÈRE Patricia, née le \d\d\/\d\d\/\d{4} — IPP \d+/);
  await expect(page.getByRole('row').filter({ hasText: 'Ouverture du dossier clinique' }).filter({ hasText: 'Dr Claire Martin' })).toBeVisible();
  await screens(page, 'dpo-search-by-name');

  await page.getByRole('button', { name: 'Exports et relevés patient' }).click();
  await page.getByLabel('Patient (nom, IPP ou INS)').fill('rivière patricia');
  await page.getByRole('button', { name: 'Rechercher le patient' }).click();
  const match = page.getByRole('list', { name: 'Patients trouvés' }).getByRole('listitem').filter({ hasText: 'RIVIÈRE Patricia' });
  await expect(match).toHaveCount(1);
  const download = page.waitForEvent('download');
  await match.getByRole('button', { name: 'Relevé PDF de la période' }).click();
  const text = (await pdfText(readFileSync(await (await download).path()))).replace(/\s+/g, ' ');
  expect(text).toMatch(/Patient : RIVIÈRE Patricia, née le \d\d\/\d\d\/\d{4}/);
  expect(text).toContain('Ouverture du dossier clinique');
  expect(text).toContain('Dr Claire Martin (Médecin)');
  await screens(page, 'dpo-report-by-name');
});

test('a clinician cannot reach the journal tools', async ({ page, workstation }) => {
  await page.goto(workstation.url);
  await login(page, 'medecin');
  await expect(page.getByRole('button', { name: 'Vérifier le journal' })).toHaveCount(0);
  const r = await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="workstation-bridge-token"]')!.content;
    const res = await fetch('/bridge/audit.breakGlassEpisodes', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Workstation-Token': token }, body: '{}' });
    return res.json();
  });
  expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
