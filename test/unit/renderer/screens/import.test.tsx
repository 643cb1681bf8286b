import { calls, startHost, stopHost } from './real-host';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordBundle } from './record-fixture';
import { generateBundles } from '../../../../src/shared/seed/generate';

const { App } = await import('../../../../src/renderer/src/app/App');
const { recordDb } = await import('../../../../src/renderer/src/features/patients/record-db');

beforeEach(async () => {
  await Promise.all(recordDb().tables.map((t) => t.clear()));
  await startHost();
  render(<App />);
  await screen.findByRole('heading', { name: 'Identification' });
  fireEvent.change(screen.getByLabelText('Identifiant'), { target: { value: 'dr.martin' } });
  fireEvent.change(screen.getByLabelText('Mot de passe'), { target: { value: 'Demo-Martin-2026' } });
  fireEvent.click(screen.getByRole('button', { name: 'Se connecter' }));
  fireEvent.click(await screen.findByRole('button', { name: 'Importer des données…' }));
});
afterEach(() => stopHost());
afterAll(() => recordDb().close());

const panel = () => screen.getByRole('dialog', { name: 'Importer des données' });

function choose(name: string, text: string) {
  fireEvent.change(within(panel()).getByLabelText('Fichier FHIR R4 (Bundle JSON)'), { target: { files: [new File([text], name, { type: 'application/json' })] } });
}

/** Every progress bar label and value that appeared, however briefly. */
function watchProgress(): string[] {
  const seen: string[] = [];
  const observer = new MutationObserver(() => {
    for (const bar of document.querySelectorAll('[role="progressbar"]')) {
      const step = `${bar.getAttribute('aria-label')} ${bar.getAttribute('aria-valuenow')}%`;
      if (seen.at(-1) !== step) seen.push(step);
    }
  });
  observer.observe(document.body, { subtree: true, childList: true, attributes: true });
  return seen;
}

describe('import screen', () => {
  it('a chosen file ends in a report listing each rejected entry; its patients are then found', async () => {
    const bundle = recordBundle();
    bundle.entry.push({ resource: { resourceType: 'Observation', id: 'orphan', status: 'final', code: { text: 'x' }, subject: { reference: 'Patient/nobody' } } as never });
    choose('lot-cardio.json', JSON.stringify(bundle));

    const report = await within(panel()).findByRole('status');
    expect(report.firstElementChild?.textContent).toBe('3 patient(s) importé(s) ou mis à jour, 11 ressource(s) lues, 1 rejetée(s).');
    expect(within(report).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Entrée n° 11 (Observation) : patient référencé introuvable, ni dans le lot ni dans le dossier local (Patient/nobody)',
    ]);
    expect(screen.queryByRole('progressbar')).toBeNull();
    // The import is journalled by name (the file, not its content).
    await waitFor(() => expect(calls.filter((c) => c.method === 'record.reportSearch').map((c) => c.input)).toEqual([{ query: 'import: lot-cardio.json' }]));

    fireEvent.click(within(panel()).getByRole('button', { name: 'Fermer' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.change(screen.getByRole('combobox', { name: 'Rechercher un patient' }), { target: { value: 'martinez' } });
    const results = screen.getByRole('listbox', { name: 'Résultats de la recherche' });
    await waitFor(() => expect(within(results).getAllByRole('option').map((o) => o.firstElementChild?.textContent)).toEqual(['MARTINEZ Anne']));
  });

  it('a large file shows reading, then import progress chunk by chunk, then the report', async () => {
    const { bundle, counts } = [...generateBundles(80, { seed: 3, perBundle: 80, content: 'text' })][0]!;
    expect(bundle.entry.length).toBeGreaterThan(1500); // several 500-entry chunks
    const progress = watchProgress();
    choose('population.json', JSON.stringify(bundle));
    const report = await within(panel()).findByRole('status', {}, { timeout: 60_000 });
    expect(report.firstElementChild?.textContent).toBe(`80 patient(s) importé(s) ou mis à jour, ${bundle.entry.length.toLocaleString('fr-FR')} ressource(s) lues, 0 rejetée(s).`);
    expect(progress[0]).toBe('Lecture de population.json… 0%');
    const steps = progress.slice(1).map((p) => /^Import de population\.json (\d+)%$/.exec(p));
    expect(steps.every(Boolean), progress.join(' | ')).toBe(true);
    const pcts = steps.map((m) => Number(m![1]));
    expect(pcts.length).toBeGreaterThanOrEqual(2);
    expect(pcts).toEqual([...pcts].sort((a, b) => a - b));
    expect(pcts[0]).toBeGreaterThan(0);
    expect(await recordDb().documents.count()).toBe(counts.documents);
  });

  it.each([
    ['an unreadable file', 'abimé.json', '{"resourceType": "Bundle", "entry": [', 'Le fichier n\'est pas un JSON lisible : vérifiez qu\'il s\'agit d\'un Bundle FHIR R4.'],
    ['JSON that is not a Bundle', 'patient.json', '{"resourceType": "Patient", "id": "x"}', 'Ce fichier n\'est pas un Bundle FHIR (resourceType « Bundle » attendu).'],
    ['a Bundle whose entry is not a list', 'bizarre.json', '{"resourceType": "Bundle", "entry": {}}', 'Bundle FHIR invalide : « entry » doit être une liste.'],
  ])('%s is refused with a French message, nothing imported', async (_label, name, text, message) => {
    choose(name, text);
    expect((await within(panel()).findByRole('alert')).textContent).toBe(message);
    expect(within(panel()).queryByRole('status')).toBeNull();
    expect(await recordDb().patients.count()).toBe(0);
    expect(calls.some((c) => c.method === 'record.reportSearch')).toBe(false);
  });
});
