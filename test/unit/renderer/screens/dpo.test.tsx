import { host, startHost, stopHost } from './real-host';
import { admit } from '../../../support/care';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const { App } = await import('../../../../src/renderer/src/app/App');

let dataDir: string;

/** Activity on two ward workstations' sessions before the DPO looks: an opened chart, a refusal, a lock. */
async function wardActivity() {
  const martin = { clientId: 'ward-martin', transport: 'ipc' as const };
  const robert = { clientId: 'ward-robert', transport: 'ipc' as const };
  expect((await host().dispatch('session.login', { userId: 'dr.martin', password: 'Demo-Martin-2026' }, martin)).ok).toBe(true);
  const cardio = admit(host().careIndex, { id: 'pat-100', ipp: '100', unit: 'Cardiologie' });
  const neuro = admit(host().careIndex, { id: 'pat-200', ipp: '200', unit: 'Neurologie' });
  expect((await host().dispatch('record.openChart', { patient: cardio }, martin)).ok).toBe(true);
  expect((await host().dispatch('record.openChart', { patient: neuro }, martin)).ok).toBe(false);
  expect((await host().dispatch('session.login', { userId: 'inf.robert', password: 'Demo-Robert-2026' }, robert)).ok).toBe(true);
  expect((await host().dispatch('session.lock', { reason: 'manual' }, robert)).ok).toBe(true);
}

beforeEach(async () => {
  dataDir = (await startHost({ journal: true })).dataDir;
  await wardActivity();
  render(<App />);
  await screen.findByRole('heading', { name: 'Identification' });
  fireEvent.change(screen.getByLabelText('Identifiant'), { target: { value: 'dpo.leroy' } });
  fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'Demo-Leroy-2026' } });
  fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
  await screen.findByRole('navigation', { name: 'Outils du DPO' });
});
afterEach(() => stopHost());

/** The journal grid's rows as cell texts, minus the N° and date columns (time of the run). */
function journalRows(): string[][] {
  const grid = screen.getByRole('grid', { name: 'Entrées du journal' });
  return within(grid)
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('gridcell').slice(2).map((c) => c.textContent ?? ''));
}

describe('DPO workspace', () => {
  it('filters the journal by patient, then by user and event type', async () => {
    const filters = screen.getByRole('form', { name: 'Filtres du journal' });
    fireEvent.change(within(filters).getByLabelText(/^Patient \(nom, IPP ou INS\)/), { target: { value: '200' } });
    fireEvent.click(within(filters).getByRole('button', { name: 'Filtrer' }));
    await waitFor(() => expect(screen.getByText('1 entrée(s)')).toBeTruthy());
    expect(journalRows()).toEqual([['Accès refusé', 'Dr Claire Martin (Médecin)', 'IPP 200', '—', 'Refusé']]);

    fireEvent.change(within(filters).getByLabelText(/^Patient \(nom, IPP ou INS\)/), { target: { value: '' } });
    fireEvent.change(within(filters).getByLabelText(/^Utilisateur/), { target: { value: 'inf.robert' } });
    fireEvent.change(within(filters).getByLabelText('Événement'), { target: { value: 'auth.*' } });
    fireEvent.click(within(filters).getByRole('button', { name: 'Filtrer' }));
    await waitFor(() => expect(screen.getByText('2 entrée(s)')).toBeTruthy());
    expect(journalRows()).toEqual([
      ['Verrouillage', 'Camille Robert (Infirmier / infirmière)', '—', '—', 'Réussi'],
      ['Connexion', 'Camille Robert (Infirmier / infirmière)', '—', '—', 'Réussi'],
    ]);
  });

  it('verifies the journal: intact, then altered once a byte of an entry is changed on disk', async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Vérifier le journal' }));
    const panel = screen.getByRole('region', { name: 'Intégrité du journal' });
    fireEvent.click(within(panel).getByRole('button', { name: 'Vérifier le journal' }));
    expect((await within(panel).findByRole('status')).textContent).toBe('Journal intègre : 6 entrées, 2 points de contrôle signés valides.');

    const file = path.join(dataDir, 'journal', 'journal.log');
    const text = readFileSync(file, 'utf8');
    // The first entry is Dr Martin's sign-in: one letter of her id changed, same length.
    writeFileSync(file, text.replace('"dr.martin"', '"dr.martyn"'));
    fireEvent.click(within(panel).getByRole('button', { name: 'Vérifier le journal' }));
    await waitFor(() => expect(within(panel).getByRole('status').textContent).toMatch(/^Journal altéré/));
    expect(within(panel).getByRole('status').textContent).toBe(
      'Journal altéré à partir de l’entrée n° 0 : Entrée 0 (octet 0) : empreinte de l’enregistrement incorrecte.',
    );
  });
});
