import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { IDENTITY_STATUS_LABELS } from '../../../../shared/ins/identity-status';
import { api } from '../../bridge';
import { searchPatients } from '../../db/search';
import type { PatientRow } from '../../db/types';
import { patientKeys } from './keys';
import { displayName, formatDate } from './patient-ref';
import { recordDb } from './record-db';

const ROW = 56;
/** A search is journalled once typing pauses: the query, never the results. */
const REPORT_AFTER_MS = 1200;

/** One box, results as you type (names, IPP, INS, dd/mm/yyyy), recent patients when empty; keyboard only works. */
export function PatientSearch({ onOpen, selectedId }: { onOpen: (p: PatientRow) => void; selectedId?: string }) {
  const [text, setText] = useState('');
  const [active, setActive] = useState(0);
  const results = useQuery({
    queryKey: patientKeys.search(text),
    // 50 rows answer within a frame; a longer prefix narrows the list ("50+" says there is more).
    queryFn: () => searchPatients(recordDb(), text, 50),
    placeholderData: (prev) => prev,
    staleTime: 0,
  });
  const rows = results.data?.patients ?? [];
  const parentRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW, overscan: 8 });

  useEffect(() => {
    if (!text.trim()) return;
    const id = window.setTimeout(() => void api.record.reportSearch({ query: text.slice(0, 200) }), REPORT_AFTER_MS);
    return () => window.clearTimeout(id);
  }, [text]);

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      const next = Math.min(active + 1, rows.length - 1);
      setActive(next);
      virtualizer.scrollToIndex(next);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.max(active - 1, 0);
      setActive(next);
      virtualizer.scrollToIndex(next);
    } else if (e.key === 'Enter' && rows[active]) {
      e.preventDefault();
      onOpen(rows[active]);
    }
  };

  return (
    <div className="patient-search">
      <label className="search-label" htmlFor="patient-search-box">
        Rechercher un patient
      </label>
      <input
        id="patient-search-box"
        type="search"
        className="search-box"
        placeholder="Nom, prénom, IPP, INS ou date de naissance (jj/mm/aaaa)"
        autoComplete="off"
        autoFocus
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setActive(0);
        }}
        onKeyDown={onKey}
        role="combobox"
        aria-expanded
        aria-controls="patient-results"
        aria-activedescendant={rows[active] ? `patient-${rows[active].id}` : undefined}
      />
      <p className="hint" data-testid="search-summary">
        {results.isError
          ? results.error.message
          : !text.trim()
            ? rows.length
              ? 'Patients récemment ouverts'
              : 'Aucun patient ouvert récemment sur ce poste'
            : `${rows.length}${results.data?.more ? '+' : ''} patient(s)`}
      </p>
      <div ref={parentRef} className="patient-results" id="patient-results" role="listbox" aria-label="Résultats de la recherche">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const p = rows[v.index]!;
            return (
              <div
                key={p.id}
                id={`patient-${p.id}`}
                role="option"
                aria-selected={v.index === active}
                className={`patient-row ${v.index === active ? 'active' : ''} ${p.id === selectedId ? 'selected' : ''}`}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW, transform: `translateY(${v.start}px)` }}
                onClick={() => {
                  setActive(v.index);
                  onOpen(p);
                }}
              >
                <div className="patient-row-name">{displayName(p)}</div>
                <div className="patient-row-meta">
                  {p.sex} · {formatDate(p.birthDate)} · IPP {p.ipp} · {IDENTITY_STATUS_LABELS[p.identityStatus]}
                  {p.currentUnit ? ` · ${p.currentUnit}` : ''}
                </div>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
