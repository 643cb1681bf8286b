import { useState, type FormEvent } from 'react';
import type { PatientRow } from '../../db/types';
import { DayField } from './DayField';
import type { JournalFilter } from './JournalList';
import { findPatients, keyOf, looksLikeIdentifier, patientLine } from './patients';

const TYPE_OPTIONS: [string, string][] = [
  ['', 'Tous les événements'],
  ['chart.open', 'Ouvertures de dossier'],
  ['record.*', 'Lectures et saisies du dossier local'],
  ['dmp.*', 'Accès au DMP'],
  ['auth.*', 'Connexions et verrouillages'],
  ['access.denied', 'Accès refusés'],
  ['security.breakglass.*', 'Bris de glace'],
  ['users.*', 'Gestion des utilisateurs'],
  ['journal.*', 'Usage du journal'],
];

interface Draft {
  patient: string;
  user: string;
  type: string;
  from: string;
  to: string;
}

/**
 * The journal's filters. A patient is found by name through the workstation's identity index (the journal
 * itself only holds IPP and INS); an IPP or INS typed as such goes to main as it is, so a patient missing
 * from the index is still found.
 */
export function JournalFilters({ onApply }: { onApply: (f: JournalFilter | null) => void }) {
  const [draft, setDraft] = useState<Draft>({ patient: '', user: '', type: '', from: '', to: '' });
  const [matches, setMatches] = useState<{ rows: PatientRow[]; more: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof Draft) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  const apply = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const text = draft.patient.trim();
    const base: JournalFilter = {
      ...(draft.user.trim() ? { user: draft.user.trim() } : {}),
      ...(draft.type ? { type: draft.type } : {}),
      ...(draft.from ? { from: draft.from } : {}),
      ...(draft.to ? { to: draft.to } : {}),
    };
    if (!text) {
      setMatches(null);
      return onApply(base);
    }
    const found = await findPatients(text);
    setMatches(found);
    const typed = looksLikeIdentifier(text);
    if (found.rows.length === 0 && !typed) {
      setError(`Aucun patient ne correspond à « ${text} » dans l’index des identités du poste. Essayez l’IPP ou l’INS.`);
      return onApply(null);
    }
    onApply({ ...base, ...(typed ? { patient: text } : {}), ...(found.rows.length ? { patients: found.rows.map(keyOf) } : {}) });
  };

  return (
    <>
      <form className="inline-form filters" onSubmit={(e) => void apply(e)} aria-label="Filtres du journal">
        <label>
          Patient (nom, IPP ou INS)
          <input value={draft.patient} onChange={set('patient')} placeholder="ex. rivière patricia" />
        </label>
        <label>
          Utilisateur (identifiant ou nom, même partiel)
          <input value={draft.user} onChange={set('user')} placeholder="ex. martin" />
        </label>
        <label>
          Événement
          <select value={draft.type} onChange={set('type')}>
            {TYPE_OPTIONS.map(([v, l]) => (
              <option key={v} value={v}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <DayField label="Du" value={draft.from} onChange={(from) => setDraft((d) => ({ ...d, from }))} />
        <DayField label="Au" value={draft.to} onChange={(to) => setDraft((d) => ({ ...d, to }))} />
        <button type="submit" className="primary">
          Filtrer
        </button>
      </form>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {matches && matches.rows.length > 0 && (
        <div className="patient-matches" data-testid="journal-patients">
          <p className="hint">
            {matches.rows.length === 1 ? 'Patient retenu :' : `${matches.rows.length}${matches.more ? '+' : ''} patients retenus (précisez le nom ou la date de naissance pour n’en garder qu’un) :`}
          </p>
          <ul>
            {matches.rows.slice(0, 8).map((p) => (
              <li key={p.id}>{patientLine(p)}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}
