import { fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { DocumentList } from '../../../../src/renderer/src/features/dmp/DocumentList';
import { applyFilters, DEFAULT_FILTERS, isRecentExam, statesOf } from '../../../../src/renderer/src/features/dmp/document-filters';
import { entry } from './fake-dmp';

const approved = entry({ title: 'Actif', creationTime: '2024-05-01T10:00:00Z' });
const archived = entry({ title: 'Ancien archivé', availabilityStatus: 'archived', creationTime: '2020-01-01T10:00:00Z' });
const obsolete = entry({ title: 'Première version', availabilityStatus: 'deprecated', replacedBy: 'urn:uuid:x' });
const masked = entry({ title: 'Masqué', visibility: ['MASQUE_PS'] });
const invisible = entry({ title: 'Invisible patient', visibility: ['INVISIBLE_PATIENT'] });
const invisibleRep = entry({ title: 'Invisible représentants', visibility: ['INVISIBLE_REPRESENTANTS_LEGAUX'] });
const byPatient = entry({ title: 'Note du patient', patientAuthored: true, typeCode: { code: '90', display: 'Expression personnelle du patient' }, author: 'Jean DUPONT' });
const imaging = entry({ title: 'Scanner', typeCode: { code: '18748-4' }, creationTime: '2024-05-20T10:00:00Z', author: 'Paul RADIO' });
const all = [approved, archived, obsolete, masked, invisible, invisibleRep, byPatient, imaging];
const titles = (f = DEFAULT_FILTERS) => applyFilters(all, f).shown.map((e) => e.title);

describe('document filters', () => {
  it('hides archived, masked and obsolete documents until asked, and counts them', () => {
    const r = applyFilters(all, DEFAULT_FILTERS);
    expect(r.shown.map((e) => e.title)).not.toContain('Ancien archivé');
    expect(r.hidden).toEqual({ archived: 1, masked: 1, obsolete: 1 });
    expect(titles({ ...DEFAULT_FILTERS, showArchived: true })).toContain('Ancien archivé');
    expect(titles({ ...DEFAULT_FILTERS, showMasked: true })).toContain('Masqué');
    expect(titles({ ...DEFAULT_FILTERS, showObsolete: true })).toContain('Première version');
    // Not-visible-to-patient documents are shown (with their state), never filtered out silently.
    expect(titles()).toEqual(expect.arrayContaining(['Invisible patient', 'Invisible représentants', 'Note du patient']));
  });

  it('filters by type, period and author, and sorts', () => {
    expect(titles({ ...DEFAULT_FILTERS, type: '18748-4' })).toEqual(['Scanner']);
    expect(titles({ ...DEFAULT_FILTERS, author: 'Jean DUPONT' })).toEqual(['Note du patient']);
    expect(titles({ ...DEFAULT_FILTERS, from: '2024-05-10', to: '2024-05-31' })).toEqual(['Scanner']);
    expect(titles({ ...DEFAULT_FILTERS, from: '2024-04-01', to: '2024-05-01' })).toEqual(['Actif']);
    const byDateAsc = titles({ ...DEFAULT_FILTERS, descending: false });
    expect(byDateAsc.at(-1)).toBe('Scanner');
    const byAuthor = titles({ ...DEFAULT_FILTERS, sort: 'author', descending: false });
    expect(byAuthor.indexOf('Note du patient')).toBeLessThan(byAuthor.indexOf('Scanner'));
  });

  it('names every state', () => {
    expect(statesOf(archived).map((s) => s.label)).toEqual(['Archivé']);
    expect(statesOf(obsolete).map((s) => s.label)).toEqual(['Obsolète (remplacé)']);
    expect(statesOf(masked).map((s) => s.label)).toEqual(['Masqué aux professionnels']);
    expect(statesOf(invisible).map((s) => s.label)).toEqual(['Non visible par le patient']);
    expect(statesOf(invisibleRep).map((s) => s.label)).toEqual(['Non visible par les représentants légaux']);
    expect(statesOf(byPatient).map((s) => s.label)).toEqual(['Rédigé par le patient']);
  });

  it('flags imaging and lab reports of the last 30 days as recent exams', () => {
    const now = new Date('2024-06-10T00:00:00Z');
    expect(isRecentExam(imaging, now)).toBe(true);
    expect(isRecentExam(imaging, new Date('2024-07-01T00:00:00Z'))).toBe(false);
    expect(isRecentExam({ ...approved, creationTime: '2024-06-01T00:00:00Z' }, now)).toBe(false); // a letter, not an exam
    expect(isRecentExam(entry({ typeCode: { code: '11502-2' }, creationTime: '2024-06-09T00:00:00Z' }), now)).toBe(true);
  });
});

describe('DocumentList', () => {
  it('shows French labels, each state, the patient’s own documents distinctly, and the recent-exam flag', () => {
    const onOpen = vi.fn();
    render(<DocumentList entries={all} onOpen={onOpen} now={new Date('2024-06-10T00:00:00Z')} />);
    const rows = screen.getAllByTestId('dmp-row');
    const row = (title: string) => rows.find((r) => r.textContent?.includes(title))!;
    expect(within(row('Scanner')).getByText('Compte rendu d’imagerie médicale')).toBeTruthy();
    expect(within(row('Scanner')).getByText('Examen récent')).toBeTruthy();
    expect(within(row('Invisible patient')).getByText('Non visible par le patient')).toBeTruthy();
    expect(within(row('Note du patient')).getByText('Rédigé par le patient')).toBeTruthy();
    expect(within(row('Scanner')).queryByText('Rédigé par le patient')).toBeNull();
    expect(screen.getByTestId('dmp-count').textContent).toContain('1 archivé(s), 1 masqué(s), 1 obsolète(s)');
    fireEvent.click(screen.getByLabelText('Documents archivés'));
    expect(screen.getAllByTestId('dmp-row').some((r) => r.textContent?.includes('Archivé'))).toBe(true);
    fireEvent.click(within(row('Scanner')).getByRole('button'));
    expect(onOpen).toHaveBeenCalledWith(imaging);
  });

  it('opens a document from the keyboard: arrows move through the list, Enter opens', () => {
    const onOpen = vi.fn();
    render(<DocumentList entries={all} onOpen={onOpen} now={new Date('2024-06-10T00:00:00Z')} />);
    const grid = screen.getByRole('grid', { name: 'Documents du DMP' });
    const rows = screen.getAllByTestId('dmp-row');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    expect(grid.getAttribute('aria-activedescendant')).toBe(rows[1]!.id);
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(onOpen).toHaveBeenCalledTimes(1);
    expect(rows[1]!.textContent).toContain(onOpen.mock.calls[0]![0].title);
  });

  it('renders only a window of rows for hundreds of documents', () => {
    const many = Array.from({ length: 600 }, (_, i) => entry({ title: `Doc ${i}`, creationTime: new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString() }));
    render(<DocumentList entries={many} onOpen={() => undefined} />);
    expect(screen.getByRole('grid').getAttribute('aria-rowcount')).toBe('601');
    const rendered = screen.getAllByTestId('dmp-row').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
    expect(screen.getByTestId('dmp-count').textContent).toContain('600 documents affichés sur 600');
  });
});
