import { useState, type FormEvent } from 'react';
import { base64ToBytesOrThrow } from '../../../../shared/text/base64';
import { parisDay } from '../../../../shared/time';
import { api } from '../../bridge';
import type { PatientRow } from '../../db/types';
import { displayName } from '../patients';
import { DayField } from './DayField';
import { downloadBlob } from './download';
import { findPatients, keyOf, looksLikeIdentifier, patientLine } from './patients';

const today = () => parisDay(new Date());

/** Journal exports for a period, and the patient's "Qui a consulté ce dossier ?" report. */
export function ExportPanel() {
  const [from, setFrom] = useState(today().slice(0, 8) + '01');
  const [to, setTo] = useState(today());
  const [format, setFormat] = useState<'fhir' | 'jsonl'>('fhir');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const say = (m: string | null, e: string | null) => {
    setMessage(m);
    setError(e);
  };

  const exportJournal = async (e: FormEvent) => {
    e.preventDefault();
    say(null, null);
    if (!from || !to) return say(null, 'Indiquez la période à exporter (jj/mm/aaaa).');
    const r = await api.audit.export({ from, to, format });
    if (!r.ok) return say(null, r.error.message);
    downloadBlob(r.value.data, r.value.fileName, r.value.mimeType);
    say(`${r.value.entries} entrée(s) et ${r.value.checkpoints} point(s) de contrôle exportés.`, null);
  };
  return (
    <section className="panel">
      <h2>Exports et relevés patient</h2>
      <form className="inline-form" onSubmit={(e) => void exportJournal(e)} aria-label="Période">
        <DayField label="Du" value={from} onChange={setFrom} />
        <DayField label="Au" value={to} onChange={setTo} />
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as 'fhir' | 'jsonl')}>
            <option value="fhir">FHIR R4 (AuditEvent)</option>
            <option value="jsonl">JSON lines</option>
          </select>
        </label>
        <button type="submit" className="primary">
          Exporter le journal de la période
        </button>
      </form>
      <AccessReport from={from} to={to} say={say} />
      {message && (
        <p className="hint" role="status">
          {message}
        </p>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

/** Finds the patient (name, IPP or INS) in the identity index, then hands them the report of the period. */
function AccessReport({ from, to, say }: { from: string; to: string; say: (m: string | null, e: string | null) => void }) {
  const [text, setText] = useState('');
  const [matches, setMatches] = useState<PatientRow[] | null>(null);

  const search = async (e: FormEvent) => {
    e.preventDefault();
    say(null, null);
    if (!text.trim()) return say(null, 'Saisissez le nom, l’IPP ou l’INS du patient.');
    const found = await findPatients(text.trim());
    setMatches(found.rows);
    if (found.rows.length === 0 && !looksLikeIdentifier(text)) say(null, `Aucun patient ne correspond à « ${text.trim()} » dans l’index des identités du poste.`);
  };
  const report = async (p: PatientRow | null) => {
    say(null, null);
    const r = await api.audit.accessReport({
      patient: p ? keyOf(p) : text.trim(),
      ...(p ? { identity: { name: displayName(p), ...(p.birthDate ? { birthDate: p.birthDate } : {}), sex: p.sex } } : {}),
      ...(from ? { from } : {}),
      ...(to ? { to } : {}),
    });
    if (!r.ok) return say(null, r.error.message);
    downloadBlob(base64ToBytesOrThrow(r.value.pdfBase64), r.value.fileName, 'application/pdf');
    say(`Relevé de ${r.value.accesses} accès généré (PDF)${p ? ` pour ${displayName(p)}` : ''}.`, null);
  };
  return (
    <div className="access-report">
      <form className="inline-form" onSubmit={(e) => void search(e)} aria-labelledby="access-report-title">
        <h3 id="access-report-title">Qui a consulté ce dossier ? (relevé remis au patient)</h3>
        <label>
          Patient (nom, IPP ou INS)
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="ex. rivière patricia" />
        </label>
        <button type="submit">Rechercher le patient</button>
      </form>
      {matches && (
        <ul className="patient-matches report-matches" aria-label="Patients trouvés">
          {matches.map((p) => (
            <li key={p.id}>
              <span>{patientLine(p)}</span>
              <button type="button" onClick={() => void report(p)}>
                Relevé PDF de la période
              </button>
            </li>
          ))}
          {matches.length === 0 && looksLikeIdentifier(text) && (
            <li>
              <span>Patient absent de l’index des identités : relevé par identifiant seul ({text.trim()}).</span>
              <button type="button" onClick={() => void report(null)}>
                Relevé PDF de la période
              </button>
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
