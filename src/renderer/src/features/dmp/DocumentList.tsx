import { observeElementRect, useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, useState } from 'react';
import type { DmpEntry } from '../../../../shared/bridge/methods-dmp';
import { applyFilters, authorOf, DEFAULT_FILTERS, filterChoices, formatDate, isRecentExam, statesOf, typeLabelOf, type DocumentFilters, type SortKey } from './document-filters';

const ROW_HEIGHT = 60;
// A list not laid out yet (hidden tab, test DOM) measures 0 px: render a screenful anyway.
const FALLBACK_RECT = { width: 1000, height: 600 };
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
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    initialRect: FALLBACK_RECT,
    observeElementRect: (instance, cb) => observeElementRect(instance, (rect) => cb(rect.height > 0 ? rect : FALLBACK_RECT)),
  });
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

      <div className="dmp-table" role="table" aria-label="Documents du DMP" aria-rowcount={shown.length + 1}>
        <div className="dmp-row dmp-head" role="row" aria-rowindex={1}>
          <span role="columnheader">Date</span>
          <span role="columnheader">Type et titre</span>
          <span role="columnheader">Auteur</span>
          <span role="columnheader">Organisation</span>
          <span role="columnheader">État</span>
        </div>
        <div ref={scrollRef} className="dmp-scroll" data-testid="dmp-scroll">
          {shown.length === 0 && <p className="dmp-hint">Aucun document ne correspond aux filtres.</p>}
          <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const e = shown[v.index]!;
              const recent = isRecentExam(e, now);
              const states = statesOf(e);
              const cls = ['dmp-row', e.patientAuthored ? 'dmp-row-patient' : '', e.availabilityStatus !== 'approved' ? 'dmp-row-inactive' : ''].filter(Boolean).join(' ');
              return (
                <div
                  key={e.entryUUID}
                  role="row"
                  aria-rowindex={v.index + 2}
                  className={cls}
                  data-testid="dmp-row"
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${v.start}px)` }}
                >
                  <span role="cell">{formatDate(e.creationTime)}</span>
                  <span role="cell" className="dmp-title-cell">
                    <button type="button" className="link" onClick={() => onOpen(e)} aria-label={`Ouvrir ${typeLabelOf(e)} : ${e.title}`}>
                      {typeLabelOf(e)}
                    </button>
                    <span className="dmp-subtitle">{e.title}</span>
                  </span>
                  <span role="cell">{authorOf(e)}</span>
                  <span role="cell">{e.organisation ?? '—'}</span>
                  <span role="cell" className="dmp-states">
                    {states.length === 0 && !recent && <span className="dmp-badge dmp-badge-ok">Actif</span>}
                    {recent && <span className="dmp-badge dmp-badge-recent">Examen récent</span>}
                    {states.map((s) => (
                      <span key={s.key} className={`dmp-badge dmp-badge-${s.key}`}>
                        {s.label}
                      </span>
                    ))}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}
