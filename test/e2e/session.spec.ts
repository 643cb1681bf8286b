import { account, expect, login, test } from './fixtures';

test('a wrong password gets one generic message; the right one signs in', async ({ page, workstation }) => {
  await page.goto(workstation.url);
  await page.getByLabel('Identifiant').fill('dr.martin');
  await page.getByLabel('Mot de passe').fill('pas-le-bon');
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await expect(page.getByRole('alert')).toHaveText('Identifiant ou mot de passe incorrect.');
  await page.screenshot({ path: 'test-results/screens/login-error.png' });
  await login(page, 'medecin');
  await expect(page.getByTestId('current-user')).toContainText('Médecin');
});

test('idle past the lock delay locks the screen; unlock with the password', async ({ page, workstation }) => {
  await page.clock.install();
  await page.goto(workstation.url);
  await login(page, 'medecin');
  // Nobody touches the workstation for 5 minutes, on both clocks.
  workstation.clock.advance(5 * 60 * 1000 + 1000);
  await page.clock.fastForward('05:01');
  await expect(page.getByTestId('lock-screen')).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveText('Session verrouillée');
  await page.screenshot({ path: 'test-results/screens/locked.png' });
  await page.getByLabel('Mot de passe').fill(account('medecin').password);
  await page.getByRole('button', { name: 'Déverrouiller' }).click();
  await expect(page.getByTestId('current-user')).toContainText('Dr Claire Martin');
});

test('the administrator sees the user directory and nothing clinical', async ({ page, workstation }) => {
  await page.goto(workstation.url);
  await login(page, 'admin');
  await expect(page.getByRole('heading', { name: 'Utilisateurs du poste' })).toBeVisible();
  await expect(page.getByRole('cell', { name: 'dr.martin' })).toBeVisible();
  await page.screenshot({ path: 'test-results/screens/users-admin.png', fullPage: true });
});
