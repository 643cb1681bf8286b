import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { account, expect, login, test } from './fixtures';

async function screens(page: Page, name: string): Promise<void> {
  for (const [w, h] of [
    [1600, 1000],
    [1280, 800],
  ] as const) {
    await page.setViewportSize({ width: w, height: h });
    await page.screenshot({ path: `test-results/screens/${name}-${w}.png` });
  }
}

test('the administrator changes units, unlocks, resets a password, issues and revokes a certificate, each confirmed', async ({ page, workstation }) => {
  test.setTimeout(120_000);
  // The intern mistyped his password five times: locked out.
  const intern = account('interne');
  for (let i = 0; i < 5; i++) await workstation.host.dispatch('session.login', { userId: intern.id, password: 'mauvais-mot-de-passe' }, { clientId: 'intern', transport: 'ipc' });

  await page.goto(workstation.url);
  await login(page, 'admin');
  const robert = page.getByTestId('user-inf.robert');
  const durand = page.getByTestId(`user-${intern.id}`);
  await expect(durand).toContainText('Verrouillé (échecs de connexion)');
  await screens(page, 'admin-users');

  // Several units: the nurse also covers the emergency unit. Cancel first changes nothing.
  await robert.getByRole('button', { name: /^Rôle et unités…/ }).click();
  const dialog = page.getByTestId('user-action-dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Modifier le rôle et les unités — Camille Robert');
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(dialog).toHaveCount(0);
  await robert.getByRole('button', { name: /^Rôle et unités…/ }).click();
  await dialog.getByLabel('Urgences').check();
  await screens(page, 'admin-units-dialog');
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByTestId('admin-message')).toHaveText('Rôle et unités de Camille Robert modifiés.');
  await expect(robert).toContainText('Cardiologie, Urgences');

  // A doctor without RPPS is refused by main, in French, and nothing changes.
  await robert.getByRole('button', { name: /^Rôle et unités…/ }).click();
  await dialog.getByLabel('Rôle').selectOption('medecin');
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Le numéro RPPS est obligatoire pour le rôle « Médecin ».');
  await dialog.getByRole('button', { name: 'Annuler' }).click();
  await expect(robert).toContainText('Infirmier');

  await durand.getByRole('button', { name: /^Débloquer…/ }).click();
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  await expect(durand).toContainText('Actif');

  await durand.getByRole('button', { name: /^Mot de passe…/ }).click();
  await dialog.getByLabel(/^Nouveau mot de passe/).fill('Nouveau-Mot-2026-Durand');
  await dialog.getByLabel('Confirmez le mot de passe').fill('Nouveau-Mot-2026-Durant');
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  await expect(dialog.getByRole('alert')).toHaveText('Les deux saisies du mot de passe diffèrent.');
  await dialog.getByLabel('Confirmez le mot de passe').fill('Nouveau-Mot-2026-Durand');
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  await expect(page.getByTestId('admin-message')).toContainText('Mot de passe de Lucas Durand réinitialisé');
  expect((await workstation.host.dispatch('session.login', { userId: intern.id, password: 'Nouveau-Mot-2026-Durand' }, { clientId: 'intern2', transport: 'ipc' })).ok).toBe(true);

  // A certificate for the secretary: the .p12 is downloaded for her; then revoked, it no longer signs in.
  const bernard = page.getByTestId('user-sec.bernard');
  await bernard.getByRole('button', { name: /^(Délivrer un certificat|Nouveau certificat)…/ }).click();
  await dialog.getByLabel(/^Code PIN du certificat/).fill('246810');
  await dialog.getByLabel('Confirmez le code PIN').fill('246810');
  const download = page.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  const p12 = await download;
  expect(p12.suggestedFilename()).toBe('sec.bernard.p12');
  const p12Base64 = readFileSync(await p12.path()).toString('base64');
  await expect(bernard).toContainText('Enregistré');
  expect((await workstation.host.dispatch('session.loginCertificate', { p12Base64, pin: '246810' }, { clientId: 'sec1', transport: 'ipc' })).ok).toBe(true);

  await bernard.getByRole('button', { name: /^Révoquer le certificat…/ }).click();
  await expect(dialog).toContainText('ne permettra plus de se connecter, définitivement');
  await screens(page, 'admin-revoke-dialog');
  await dialog.getByRole('button', { name: 'Confirmer' }).click();
  await expect(bernard).toContainText('Révoqué');
  expect(await workstation.host.dispatch('session.loginCertificate', { p12Base64, pin: '246810' }, { clientId: 'sec2', transport: 'ipc' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  await screens(page, 'admin-done');

  const journal = await workstation.host.journal.query({ type: 'users.*' });
  expect(journal.entries.map((e) => `${e.type}:${e.outcome}:${e.entity?.id}`)).toEqual([
    'users.update:success:inf.robert',
    'users.update:failure:inf.robert',
    `users.unlock:success:${intern.id}`,
    `users.password.reset:success:${intern.id}`,
    'users.certificate.issue:success:sec.bernard',
    'users.certificate.revoke:success:sec.bernard',
  ]);
  expect(journal.entries.every((e) => e.agent?.userId === 'admin')).toBe(true);
});

test('only the administrator sees the user directory', async ({ page, workstation }) => {
  await page.goto(workstation.url);
  await login(page, 'dpo');
  await expect(page.getByRole('heading', { name: 'Utilisateurs du poste' })).toHaveCount(0);
  const r = await page.evaluate(async () => {
    const token = document.querySelector<HTMLMetaElement>('meta[name="workstation-bridge-token"]')!.content;
    const res = await fetch('/bridge/users.revokeCertificate', { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Workstation-Token': token }, body: JSON.stringify({ id: 'sec.bernard' }) });
    return res.json();
  });
  expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(workstation.host.directory.get('sec.bernard')!.revokedFingerprints).toEqual([]);
});
