import { readFileSync } from 'node:fs';
import { account, expect, login, test } from './fixtures';

test('the DPO reviews the journal, verifies it, reviews break-glass and hands a patient the access report', async ({ page, workstation }) => {
  // A doctor opened a chart outside her unit under break-glass earlier in the day.
  const ctx = { clientId: 'earlier-doctor', transport: 'ipc' as const };
  const doc = account('medecin');
  const patient = { id: 'pat-e2e', ipp: '700000042', units: ['Urgences'] };
  await workstation.host.dispatch('session.login', { userId: doc.id, password: doc.password }, ctx);
  await workstation.host.dispatch('session.breakGlassStart', { patient, reason: 'urgence_vitale', justification: 'Détresse respiratoire, dossier nécessaire' }, ctx);
  await workstation.host.dispatch('record.openChart', { patient }, ctx);

  await page.goto(workstation.url);
  await login(page, 'dpo');
  await expect(page.getByTestId('journal-count')).toContainText('entrée');
  await expect(page.getByRole('row').filter({ hasText: 'Ouverture du dossier clinique' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/dpo-journal.png' });

  await page.getByRole('button', { name: 'Accès exceptionnels à revoir' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Détresse respiratoire' }).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/dpo-breakglass.png' });

  await page.getByRole('button', { name: 'Vérifier le journal' }).first().click();
  await page.getByRole('button', { name: 'Vérifier le journal' }).last().click();
  await expect(page.getByTestId('verify-verdict')).toContainText('Journal intègre');
  await page.screenshot({ path: 'test-results/screens/dpo-verify.png' });

  await page.getByRole('button', { name: 'Exports et relevés patient' }).click();
  await page.getByLabel('Patient (IPP ou INS, facultatif)').fill('700000042');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Qui a consulté ce dossier ? (PDF)' }).click();
  const file = await (await download).path();
  expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
  await expect(page.getByText(/Relevé de 2 accès généré/)).toBeVisible();
});

test('a clinician cannot reach the journal tools', async ({ page, workstation }) => {
  await page.goto(workstation.url);
  await login(page, 'medecin');
  await expect(page.getByRole('button', { name: 'Vérifier le journal' })).toHaveCount(0);
  const r = await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="workstation-bridge-token"]')!.content;
    const res = await fetch('/bridge/audit.query', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Workstation-Token': token }, body: '{}' });
    return res.json();
  });
  // This page's token is not the signed-in one only if sessions leaked: the call is the doctor's own.
  expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
