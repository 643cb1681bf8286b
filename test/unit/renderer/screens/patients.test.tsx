import { calls, host, startHost, stopHost } from './real-host';
import { indexFhirEntries } from '../../../../src/main/record/care-feed';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordBundle } from './record-fixture';

const { App } = await import('../../../../src/renderer/src/app/App');
const { recordDb } = await import('../../../../src/renderer/src/features/patients/record-db');
const { importFhirBundle } = await import('../../../../src/renderer/src/db/import');

// A fresh local record per test (recent patients included), so no test depends on another's openings.
beforeEach(async () => {
  await Promise.all(recordDb().tables.map((t) => t.clear()));
  const report = await importFhirBundle(recordDb(), recordBundle(), { now: new Date('2024-01-04T00:00:00Z') });
  expect(report.rejected).toEqual([]);
});
afterAll(() => recordDb().close());
afterEach(() => stopHost());

async function signedInAs(userId: string, password: string) {
  await startHost();
  // Main's care index holds the same patients and stays (as the hospital server would have sent them).
  indexFhirEntries(host().careIndex, recordBundle().entry, new Date());
  render(<App />);
  await screen.findByRole('heading', { name: 'Identification' });
  fireEvent.change(screen.getByLabelText('Identifiant'), { target: { value: userId } });
  fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: password } });
  fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
  await screen.findByRole('heading', { name: 'Patients' });
}

const box = () => screen.getByRole('combobox', { name: 'Rechercher un patient' });
const results = () => screen.getByRole('listbox', { name: 'Résultats de la recherche' });
const names = () => within(results()).queryAllByRole('option').map((o) => o.firstElementChild?.textContent);

describe('patient search', () => {
  it('filters as one types, accent- and case-insensitively, and says how many', async () => {
    await signedInAs('dr.martin', 'Demo-Martin-2026');
    expect(screen.getByText('Aucun patient ouvert récemment sur ce poste')).toBeTruthy();
    fireEvent.change(box(), { target: { value: 'mart' } });
    await waitFor(() => expect(names()).toEqual(['MARTIN Jean-Luc', 'MARTINEZ Anne']));
    expect(screen.getByText('2 patient(s)')).toBeTruthy();
    fireEvent.change(box(), { target: { value: 'MARTÍNEZ' } });
    await waitFor(() => expect(names()).toEqual(['MARTINEZ Anne']));
    expect(screen.getByText('1 patient(s)')).toBeTruthy();
    fireEvent.change(box(), { target: { value: '28/03/1979' } });
    await waitFor(() => expect(names()).toEqual(['PAT-TROIS Dominique']));
    fireEvent.change(box(), { target: { value: 'zzz' } });
    await waitFor(() => expect(screen.getByText('0 patient(s)')).toBeTruthy());
    expect(names()).toEqual([]);
  });

  it('arrows move the selection from the search box and Enter opens that patient', async () => {
    await signedInAs('dr.martin', 'Demo-Martin-2026');
    fireEvent.change(box(), { target: { value: 'mart' } });
    await waitFor(() => expect(names()).toEqual(['MARTIN Jean-Luc', 'MARTINEZ Anne']));
    const active = () => document.getElementById(box().getAttribute('aria-activedescendant') ?? '');
    expect(active()?.firstElementChild?.textContent).toBe('MARTIN Jean-Luc');
    fireEvent.keyDown(box(), { key: 'ArrowDown' });
    expect(active()?.firstElementChild?.textContent).toBe('MARTINEZ Anne');
    expect(active()?.getAttribute('aria-selected')).toBe('true');
    fireEvent.keyDown(box(), { key: 'Enter' });
    const banner = await screen.findByRole('region', { name: 'Identité du patient' });
    expect(within(banner).getByRole('heading', { name: 'MARTINEZ Anne' })).toBeTruthy();
    expect(within(banner).getByText('IPP 300')).toBeTruthy();
  });

  it('journals the query once typing pauses, never the results', async () => {
    await signedInAs('dr.martin', 'Demo-Martin-2026');
    fireEvent.change(box(), { target: { value: 'pat-tr' } });
    await waitFor(() => expect(calls.filter((c) => c.method === 'record.reportSearch')).toEqual([{ method: 'record.reportSearch', input: { query: 'pat-tr' }, ok: true }]), { timeout: 5000 });
  });
});

describe('chart', () => {
  it('opens a patient of the doctor’s unit: banner with strict traits and allergy, current stay, timeline, labs', async () => {
    await signedInAs('dr.martin', 'Demo-Martin-2026');
    fireEvent.change(box(), { target: { value: 'dominique' } });
    await waitFor(() => expect(names()).toEqual(['PAT-TROIS Dominique']));
    fireEvent.click(within(results()).getByRole('option'));

    const banner = await screen.findByRole('region', { name: 'Identité du patient' });
    expect(within(banner).getByRole('heading', { name: 'PAT-TROIS Dominique' })).toBeTruthy();
    expect(within(banner).getByText('Femme')).toBeTruthy();
    expect(within(banner).getByText(/^né·e le 28\/03\/1979 \(\d+ ans\)$/)).toBeTruthy();
    expect(within(banner).getByText('IPP 100')).toBeTruthy();
    expect(within(banner).getByText('Identité qualifiée · INS 279035121518989')).toBeTruthy();
    expect(await within(banner).findByText('⚠ Allergies : Pénicilline')).toBeTruthy();
    expect(within(banner).getByText('Hospitalisé·e en Cardiologie')).toBeTruthy();

    expect(screen.getByText(/^Séjour en cours :/).textContent).toBe('Séjour en cours : Cardiologie depuis le 01/01/2024 — Décompensation cardiaque');
    expect(screen.getByRole('img', { name: 'Frise : 1 séjour(s) et 0 document(s)' })).toBeTruthy();
    const allergies = screen.getByRole('region', { name: 'Allergies' });
    expect(within(allergies).getByRole('listitem').textContent?.trim()).toBe('Pénicilline — Urticaire');
    expect(calls.some((c) => c.method === 'record.openChart' && c.ok)).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Biologie' }));
    const tab = await screen.findByRole('tab', { name: 'Créatinine (3)' });
    expect(tab.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('img', { name: 'Évolution : Créatinine' })).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1).map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent));
    expect(rows).toEqual([
      ['03/01/2024', '97', 'µmol/L', '45 – 104'],
      ['02/01/2024', '121', 'µmol/L', '45 – 104'],
      ['01/01/2024', '88', 'µmol/L', '45 – 104'],
    ]);
  });

  it('a patient outside the doctor’s units is refused by the host, with break-glass offered', async () => {
    await signedInAs('dr.martin', 'Demo-Martin-2026');
    fireEvent.change(box(), { target: { value: 'jean-luc' } });
    await waitFor(() => expect(names()).toEqual(['MARTIN Jean-Luc']));
    fireEvent.click(within(results()).getByRole('option'));
    const denied = await screen.findByRole('alert');
    expect(within(denied).getByText('Ce patient n’est pas suivi dans vos unités. En cas de nécessité, utilisez l’accès exceptionnel (bris de glace).')).toBeTruthy();
    expect(calls.filter((c) => c.method === 'record.openChart').map((c) => c.ok)).toEqual([false]);
    expect(within(denied).getByRole('button', { name: 'Accès exceptionnel (bris de glace)…' })).toBeTruthy();
    expect(screen.queryByText(/^Séjour en cours :/)).toBeNull();
  });
});
