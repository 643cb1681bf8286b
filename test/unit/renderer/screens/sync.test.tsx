import { host, startHost, stopHost } from './real-host';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PatientRow } from '../../../../src/shared/record/types';

const { App } = await import('../../../../src/renderer/src/app/App');
const { recordDb } = await import('../../../../src/renderer/src/features/patients/record-db');
const { syncClient } = await import('../../../../src/renderer/src/features/sync');

beforeEach(async () => {
  await Promise.all(recordDb().tables.map((t) => t.clear()));
});
afterAll(() => recordDb().close());
afterEach(() => stopHost());

function patient(id: string, family: string, given: string): PatientRow {
  return {
    id,
    ipp: id.replace(/\D/g, '').padStart(8, '0'),
    birthFamilyName: family,
    birthGivenNames: given,
    birthDate: '1961-04-02',
    sex: 'F',
    identityStatus: 'PROV',
    tokens: [family.toLowerCase(), given.toLowerCase()],
    units: ['Cardiologie'],
    createdAt: 0,
    updatedAt: 0,
  };
}

async function signedInAs(userId: string, password: string) {
  render(<App />);
  await screen.findByRole('heading', { name: 'Identification' });
  fireEvent.change(screen.getByLabelText('Identifiant'), { target: { value: userId } });
  fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
  await screen.findByRole('heading', { name: 'Patients' });
}

const box = () => screen.getByRole('combobox', { name: 'Rechercher un patient' });
const names = () =>
  within(screen.getByRole('listbox', { name: 'Résultats de la recherche' }))
    .queryAllByRole('option')
    .map((o) => o.firstElementChild?.textContent);

describe('the record as main’s cache', () => {
  it('fills from main’s replica once signed in, and a batch main appends later shows in the open search', async () => {
    await startHost();
    await host().replica.append({ upserts: { patients: [patient('p-1', 'SYNCHRO', 'Zoé'), patient('p-2', 'SYNCHRO', 'Yves')] } });
    await signedInAs('dr.martin', 'Demo-Martin-2026');
    fireEvent.change(box(), { target: { value: 'synchro' } });
    await waitFor(() => expect(names()).toEqual(['SYNCHRO Yves', 'SYNCHRO Zoé']));
    // Another workstation's write reaches main's replica: the search on screen refreshes by itself.
    await host().replica.append({ upserts: { patients: [patient('p-3', 'SYNCHRO', 'Xavier')] } });
    await waitFor(() => expect(names()).toEqual(['SYNCHRO Xavier', 'SYNCHRO Yves', 'SYNCHRO Zoé']), { timeout: 5000 });
    expect(await recordDb().syncState.get('feed')).toMatchObject({ epoch: host().replica.epoch });
  });

  it('shows the sync state in the header and the Synchronisation panel; stops on lock', async () => {
    await startHost();
    await host().replica.append({ upserts: { patients: [patient('p-9', 'PANNEAU', 'Inès')] } });
    await signedInAs('dr.martin', 'Demo-Martin-2026');
    const indicator = await screen.findByTestId('sync-indicator');
    await waitFor(() => expect(indicator.textContent).toBe('Aucun serveur hospitalier configuréHors ligne'));
    await waitFor(() => expect(syncClient().state().caughtUp).toBe(true));
    fireEvent.click(indicator);
    const panel = await screen.findByRole('dialog', { name: 'Synchronisation' });
    expect(within(panel).getByTestId('sync-panel-server').textContent).toBe('Aucun serveur hospitalier configuré');
    expect(within(panel).getByTestId('sync-cache').textContent).toBe('À jour (lot 1)');
    expect(within(panel).getByTestId('sync-counts').textContent).toBe('Tout est envoyé');
    fireEvent.click(within(panel).getByRole('button', { name: 'Fermer' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Synchronisation' })).toBeNull());
    fireEvent.click(screen.getByRole('button', { name: 'Verrouiller' }));
    await screen.findByRole('heading', { name: /verrouill/i });
    await waitFor(() => expect(syncClient().state().running).toBe(false));
    expect(screen.queryByTestId('sync-indicator')).toBeNull();
  });
});
