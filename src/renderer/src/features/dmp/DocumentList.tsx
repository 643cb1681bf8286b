import { useMemo, useState } from 'react';
import type { DmpEntry } from '../../../../shared/bridge/methods-dmp';
import { VirtualList } from '../ui';
import { formatDateFr } from '../../../../shared/time';
import { applyFilters, authorOf, DEFAULT_FILTERS, filterChoices, isRecentExam, statesOf, typeLabelOf, type DocumentFilters, type SortKey } from './document-filters';

const ROW_HEIGHT = 60;
const SORTS: { key: SortKey; label: string }[] = [
  { key: 'date', label: 'Date' },
  { key: 'type', label: 'Type' },
  { key: 'author', label: 'Auteur' },
];

/** The patient's DMP documents: filters, sort, each state shown; virtualised for hundreds of entries. */
export function DocumentList({ entries, onOpen, now = new Date() }: { entries: readonly DmpEntry[]; onOpen(entry: DmpEntry): void; now?: Date }) {
  const [f, setF] = useState<DocumentFilters>(DEFAULT_FILTERS);
  const { shown, hidden } = useMemo(() => applyFilters(entries, f), [entries, f]);
  const choices = useMemo(() => filterChoices(entries), [entries]);
  const set = <K extends keyof DocumentFilters>(k: K, v: DocumentFilters[K]) => setF((prev) => ({ ...prev, [k]: v }));

  return (
    <div className="dmp-documents">
      <fieldset className="dmp-filters">
        <legend>Filtrer et trier</legend>
        <label>
          Type
          <select value={f.type} onChange={(e) => set('type', e.target.value)}>
            <option value="">Tous les types</option>
            {choices.types.map((t) => (
              <option key={t.code} value={t.code}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Du
          <input type="date" value={f.from} onChange={(e) => set('from', e.target.value)} />
        </label>
        <label>
          Au
          <input type="date" value={f.to} onChange={(e) => set('to', e.target.value)} />
        </label>
        <label>
          Auteur
          <select value={f.author} onChange={(e) => set('author', e.target.value)}>
            <option value="">Tous les auteurs</option>
            {choices.authors.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Trier par
          <select value={f.sort} onChange={(e) => set('sort', e.target.value as SortKey)}>
            {SORTS.map((s) => (
              <option key={s.key} value={s.key}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        <button type="button" onClick={() => set('descending', !f.descending)} aria-label={f.descending ? 'Ordre décroissant (cliquer pour croissant)' : 'Ordre croissant (cliquer pour décroissant)'}>
          {f.descending ? '↓ Décroissant' : '↑ Croissant'}
        </button>
        <label className="dmp-check">
          <input type="checkbox" checked={f.showArchived} onChange={(e) => set('showArchived', e.target.checked)} /> Documents archivés
        </label>
        <label className="dmp-check">
          <input type="checkbox" checked={f.showMasked} onChange={(e) => set('showMasked', e.target.checked)} /> Documents masqués aux professionnels
        </label>
        <label className="dmp-check">
          <input type="checkbox" checked={f.showObsolete} onChange={(e) => set('showObsolete', e.target.checked)} /> Documents obsolètes (remplacés)
        </label>
      </fieldset>

      <p className="dmp-count" data-testid="dmp-count">
        {shown.length} document{shown.length > 1 ? 's' : ''} affiché{shown.length > 1 ? 's' : ''} sur {entries.length}
        {hidden.archived + hidden.masked + hidden.obsolete > 0 &&
          ` — non affichés : ${[hidden.archived && `${hidden.archived} archivé(s)`, hidden.masked && `${hidden.masked} masqué(s)`, hidden.obsolete && `${hidden.obsolete} obsolète(s)`].filter(Boolean).join(', ')}`}
      </p>

      <VirtualList
        role="grid"
        label="Documents du DMP"
        className="dmp-table"
        scrollClassName="dmp-scroll"
        scrollTestId="dmp-scroll"
        rowTestId="dmp-row"
        items={shown}
        rowHeight={ROW_HEIGHT}
        rowKey={(e) => e.entryUUID}
        rowClassName={(e) => ['dmp-row', e.patientAuthored ? 'dmp-row-patient' : '', e.availabilityStatus !== 'approved' ? 'dmp-row-inactive' : ''].filter(Boolean).join(' ')}
        onActivate={(e) => onOpen(e)}
        header={
          <div className="dmp-row dmp-head" role="row" aria-rowindex={1}>
            <span role="columnheader">Date</span>
            <span role="columnheader">Type et titre</span>
            <span role="columnheader">Auteur</span>
            <span role="columnheader">Organisation</span>
            <span role="columnheader">État</span>
          </div>
        }
        empty={<p className="dmp-hint">Aucun document ne correspond aux filtres.</p>}
        renderRow={(e) => <DocumentRow entry={e} now={now} onOpen={onOpen} />}
      />
    </div>
  );
}

function DocumentRow({ entry: e, now, onOpen }: { entry: DmpEntry; now: Date; onOpen(entry: DmpEntry): void }) {
  const recent = isRecentExam(e, now);
  const states = statesOf(e);
  return (
    <>
      <span role="gridcell">{formatDateFr(e.creationTime, 'Date inconnue')}</span>
      <span role="gridcell" className="dmp-title-cell">
        <button type="button" className="link" tabIndex={-1} onClick={() => onOpen(e)} aria-label={`Ouvrir ${typeLabelOf(e)} : ${e.title}`}>
          {typeLabelOf(e)}
        </button>
        <span className="dmp-subtitle">{e.title}</span>
      </span>
      <span role="gridcell">{authorOf(e)}</span>
      <span role="gridcell">{e.organisation ?? '—'}</span>
      <span role="gridcell" className="dmp-states">
        {states.length === 0 && !recent && <span className="dmp-badge dmp-badge-ok">Actif</span>}
        {recent && <span className="dmp-badge dmp-badge-recent">Examen récent</span>}
        {states.map((s) => (
          <span key={s.key} className={`dmp-badge dmp-badge-${s.key}`}>
            {s.label}
          </span>
        ))}
      </span>
    </>
  );
}
