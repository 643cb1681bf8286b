import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { IDENTITY_STATUS_LABELS } from '../../../../shared/ins/identity-status';
import { api } from '../../bridge';
import { searchPatients } from '../../db/search';
import type { PatientRow } from '../../db/types';
import { VirtualList, virtualRowId, type VirtualListHandle } from '../ui';
import { patientKeys } from './keys';
import { formatDateFr } from '../../../../shared/time';
import { displayName } from './patient-ref';
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
  const list = useRef<VirtualListHandle>(null);
  const boxId = useId();
  const listId = useId();

  useEffect(() => {
    if (!text.trim()) return;
    const id = window.setTimeout(() => void api.record.reportSearch({ query: text.slice(0, 200) }), REPORT_AFTER_MS);
    return () => window.clearTimeout(id);
  }, [text]);

  // The box keeps the focus; arrows, Page Up/Down and Enter drive the list (combobox pattern).
  const onKey = (e: KeyboardEvent) => {
    if ((e.key === 'Home' || e.key === 'End') && !e.ctrlKey) return; // caret moves in the text
    if (list.current?.handleKey(e.key)) e.preventDefault();
  };

  return (
    <div className="patient-search">
      <label className="search-label" htmlFor={boxId}>
        Rechercher un patient
      </label>
      <input
        id={boxId}
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
        aria-controls={listId}
        aria-activedescendant={rows[active] ? virtualRowId(listId, active) : undefined}
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
      <VirtualList
        id={listId}
        role="listbox"
        label="Résultats de la recherche"
        className="patient-results"
        items={rows}
        rowHeight={ROW}
        rowKey={(p) => p.id}
        rowClassName={(p) => `patient-row ${p.id === selectedId ? 'selected' : ''}`}
        activeIndex={active}
        onActiveIndexChange={setActive}
        onActivate={(p) => onOpen(p)}
        handle={list}
        renderRow={(p) => (
          <>
            <div className="patient-row-name">{displayName(p)}</div>
            <div className="patient-row-meta">
              {p.sex} · {formatDateFr(p.birthDate)} · IPP {p.ipp} · {IDENTITY_STATUS_LABELS[p.identityStatus]}
              {p.currentUnit ? ` · ${p.currentUnit}` : ''}
            </div>
          </>
        )}
      />
    </div>
  );
}
