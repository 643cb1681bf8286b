import { account, expect, importDemo, login, openPatient, test } from './fixtures';
import type { Page } from '@playwright/test';

/**
 * The DMP panel end to end: browser host + embedded "DMP de test". The demo import seeds
 * the local record with the patients of DEMO_DMP_PATIENTS (src/shared/demo/dmp-patients.ts)
 * under qualified identities, as the embedded DMP knows them.
 */
const SHOTS = 'test-results/screens';

async function openDmp(page: Page, search: string, name: RegExp) {
  await openPatient(page, search, name);
  await page.getByRole('button', { name: /^DMP/ }).click();
  await expect(page.getByTestId('dmp-panel')).toBeVisible();
}

test.describe('DMP panel', () => {
  test.setTimeout(180_000);

  test('a doctor gives consent, sees the list, opens a level-1 and a level-3 document', async ({ page, workstation }) => {
    await page.goto(workstation.url);
    await login(page, 'medecin');
    await importDemo(page, 20);
    await openDmp(page, 'dupont jean', /DUPONT Jean/);
    await expect(page.getByTestId('dmp-consent')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/dmp-consent.png`, fullPage: true });
    const calls = (await workstation.host.journal.query({ type: 'dmp.td02' })).entries.length;
    expect(calls).toBe(1);
    await page.getByRole('button', { name: 'Le patient est informé et consent' }).click();
    await expect(page.getByTestId('dmp-row').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/dmp-list.png`, fullPage: true });
    await page.getByRole('button', { name: /Ouvrir Compte rendu opératoire/ }).first().click();
    await expect(page.locator('.cda-pdf canvas').first()).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/dmp-level1.png`, fullPage: true });
    await page.getByRole('button', { name: '← Retour à la liste' }).click();
    await page.getByRole('button', { name: /Ouvrir Lettre de liaison à la sortie/ }).first().click();
    await expect(page.getByRole('heading', { name: 'Synthèse du séjour' })).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/dmp-level3.png`, fullPage: true });
    // Back on the summary, the banner carries what the DMP adds: a recent imaging exam.
    await page.getByRole('button', { name: /^Synthèse/ }).click();
    // The embedded DMP seeds it 6 days before the host's clock, its exam starting 3 days earlier:
    // the alert shows that day in Paris, not the day it was read.
    const examStart = new Date(Math.floor(workstation.clock.now().getTime() / 1000) * 1000 - 9 * 86_400_000);
    const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(examStart);
    await expect(page.getByTestId('dmp-alerts')).toContainText(`Examen récent (DMP) : Compte rendu d’imagerie médicale du ${day}`);
    await page.screenshot({ path: `${SHOTS}/dmp-alerts.png` });
  });

  test('an emergency doctor uses break-glass and the banner stays across screens; lock leaves nothing', async ({ page, workstation }) => {
    await page.goto(workstation.url);
    await login(page, 'urgentiste');
    await importDemo(page, 20);
    await openDmp(page, 'dupont jean', /DUPONT Jean/);
    await page.getByRole('button', { name: 'Bris de glace' }).click();
    await page.getByLabel('Justification (obligatoire)').fill('Patient inconscient, polytraumatisé, aucun proche joignable');
    await page.getByRole('button', { name: 'Accéder en bris de glace' }).click();
    await expect(page.getByTestId('dmp-emergency-banner')).toBeVisible();
    await expect(page.getByTestId('dmp-row').first()).toBeVisible();
    await page.getByRole('button', { name: /^Synthèse/ }).click();
    await expect(page.getByTestId('dmp-emergency-banner')).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/dmp-break-glass-banner.png`, fullPage: true });
    await page.getByRole('button', { name: /Verrouiller/ }).click();
    await expect(page.getByTestId('dmp-emergency-banner')).toHaveCount(0);
    await expect(page.getByTestId('dmp-panel')).toHaveCount(0);
    await page.screenshot({ path: `${SHOTS}/dmp-after-lock.png`, fullPage: true });
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('Lettre de liaison');
  });

  test('a secretary cannot open DMP documents', async ({ page, workstation }) => {
    await page.goto(workstation.url);
    await login(page, 'secretaire_medicale');
    await importDemo(page, 20);
    await openPatient(page, 'moreau louise', /MOREAU Louise/);
    await expect(page.getByRole('button', { name: /^DMP/ })).toHaveCount(0);
    // Main refuses too, whatever the screen shows: called as the signed-in secretary, for a patient of her unit.
    const sec = account('secretaire_medicale');
    const direct = { clientId: 'e2e-sec', transport: 'http' as const };
    expect(await workstation.host.dispatch('session.login', { userId: sec.id, password: sec.password }, direct)).toMatchObject({ ok: true, value: { state: 'active' } });
    const denied = await workstation.host.dispatch('dmp.status', { patient: { id: 'x' }, identity: { status: 'QUAL' } }, direct);
    expect(denied).toEqual({
      ok: false,
      error: { code: 'DMP_ROLE_FORBIDDEN', message: 'Les secrétaires médicales ne consultent pas le contenu du DMP : cette action est réservée aux professionnels de santé.' },
    });
    await page.screenshot({ path: `${SHOTS}/dmp-secretary.png`, fullPage: true });
  });
});
