import { expect, login, test } from './fixtures';

test('bedside writing works with the network down: emergency patient, allergy with a bad field then fixed, linked to a real identity', async ({ page, context, workstation }) => {
  await page.goto(workstation.url);
  await login(page, 'urgentiste');
  await context.route((url) => url.hostname !== '127.0.0.1', (route) => route.abort('internetdisconnected'));

  // The real patient, created at the desk with a checked NIR key.
  await page.getByRole('button', { name: 'Nouveau patient' }).click();
  await page.getByLabel('Nom de naissance').fill('Lefèvre');
  await page.getByLabel('Prénoms de naissance (tous, dans l’ordre)').fill('Anne Marie');
  await page.getByLabel('Date de naissance').fill('28/03/1979');
  await page.getByLabel('Code INSEE du lieu de naissance').fill('51215');
  await page.getByLabel('Matricule INS (NIR, 15 caractères, facultatif)').fill('279035121518988');
  await page.getByRole('button', { name: 'Créer le patient' }).click();
  await expect(page.locator('.field-error')).toContainText('Clé');
  await page.getByLabel('Matricule INS (NIR, 15 caractères, facultatif)').fill('279035121518989');
  await page.getByRole('button', { name: 'Créer le patient' }).click();
  await expect(page.getByTestId('identity-banner')).toContainText('LEFÈVRE Anne');

  // An unconscious patient arrives: provisional identity, allergy recorded at once.
  await page.getByRole('button', { name: 'Patient non identifié (urgences)' }).click();
  await expect(page.getByTestId('identity-banner')).toContainText('Inconnu urgences');
  await page.getByRole('button', { name: '+ Allergie' }).click();
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.locator('.field-error')).toContainText('Allergène');
  await page.getByLabel('Allergène').fill('Pénicilline');
  await page.getByLabel('Réaction').fill('Œdème de Quincke');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await expect(page.getByTestId('allergy-badge')).toContainText('Pénicilline');

  // Identified later: linked to the real identity, whose chart now carries both histories.
  await page.getByLabel('Rechercher l’identité réelle').fill('lefevre anne');
  await page.getByRole('button', { name: 'Rattacher' }).click();
  await expect(page.getByTestId('identity-banner')).toContainText('LEFÈVRE Anne');
  await expect(page.getByTestId('allergy-badge')).toContainText('Pénicilline');
  await page.screenshot({ path: 'test-results/screens/linked-identity.png', fullPage: true });

  const types = (await workstation.host.journal.query({ type: 'record.*' })).entries.map((e) => e.type);
  expect(types).toEqual(expect.arrayContaining(['record.patient.create', 'record.allergy.write', 'record.identity.link']));
});
