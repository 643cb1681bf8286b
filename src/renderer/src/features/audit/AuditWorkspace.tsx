import { useState, type FormEvent } from 'react';
import { parisDay } from '../../../../shared/time';
import { api } from '../../bridge';
import { base64ToBytesOrThrow } from '../../../../shared/text/base64';
import { downloadBlob } from './download';
import { JournalList, type JournalFilter } from './JournalList';
import { VerifyJournal } from './VerifyJournal';

const TYPE_OPTIONS: [string, string][] = [
  ['', 'Tous les événements'],
  ['chart.open', 'Ouvertures de dossier'],
  ['record.*', 'Lectures et saisies du dossier local'],
  ['dmp.*', 'Accès au DMP'],
  ['auth.*', 'Connexions et verrouillages'],
  ['access.denied', 'Accès refusés'],
  ['security.breakglass.*', 'Bris de glace'],
  ['journal.*', 'Usage du journal'],
];

const today = () => parisDay(new Date());

/** The data protection officer's workspace: the journal, its integrity, exports, break-glass review. */
export function AuditWorkspace() {
  const [tab, setTab] = useState<'journal' | 'breakglass' | 'verify' | 'export'>('journal');
  const [draft, setDraft] = useState<JournalFilter>({});
  const [filter, setFilter] = useState<JournalFilter>({});
  const apply = (e: FormEvent) => {
    e.preventDefault();
    const clean = Object.fromEntries(Object.entries(draft).filter(([, v]) => v !== '' && v !== undefined)) as JournalFilter;
    setFilter(clean);
  };
  const set = (k: keyof JournalFilter) => (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [k]: e.target.value }));

  return (
    <div className="audit-workspace">
      <nav className="tabs" aria-label="Outils du DPO">
        {(
          [
            ['journal', 'Journal des accès'],
            ['breakglass', 'Accès exceptionnels à revoir'],
            ['verify', 'Vérifier le journal'],
            ['export', 'Exports et relevés patient'],
          ] as const
        ).map(([k, label]) => (
          <button key={k} type="button" className={tab === k ? 'active' : ''} aria-current={tab === k} onClick={() => setTab(k)}>
            {label}
          </button>
        ))}
      </nav>
      {tab === 'journal' && (
        <section className="panel">
          <form className="inline-form filters" onSubmit={apply} aria-label="Filtres du journal">
            <label>
              Patient (IPP ou INS)
              <input value={draft.patient ?? ''} onChange={set('patient')} />
            </label>
            <label>
              Utilisateur
              <input value={draft.userId ?? ''} onChange={set('userId')} />
            </label>
            <label>
              Événement
              <select value={draft.type ?? ''} onChange={set('type')}>
                {TYPE_OPTIONS.map(([v, l]) => (
                  <option key={v} value={v}>
                    {l}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Du
              <input type="date" value={draft.from ?? ''} onChange={set('from')} />
            </label>
            <label>
              Au
              <input type="date" value={draft.to ?? ''} onChange={set('to')} />
            </label>
            <button type="submit" className="primary">
              Filtrer
            </button>
          </form>
          <JournalList filter={filter} />
        </section>
      )}
      {tab === 'breakglass' && (
        <section className="panel">
          <h2>Accès exceptionnels (bris de glace) à revoir</h2>
          <p className="hint">Chaque accès en dehors des unités de soins, avec sa justification, pour contrôle a posteriori.</p>
          <JournalList filter={{ breakGlass: true }} />
        </section>
      )}
      {tab === 'verify' && <VerifyJournal />}
      {tab === 'export' && <ExportPanel />}
    </div>
  );
}

function ExportPanel() {
  const [from, setFrom] = useState(today().slice(0, 8) + '01');
  const [to, setTo] = useState(today());
  const [patient, setPatient] = useState('');
  const [format, setFormat] = useState<'fhir' | 'jsonl'>('fhir');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const exportJournal = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const r = await api.audit.export({ from, to, format, ...(patient ? { patient } : {}) });
    if (!r.ok) return setError(r.error.message);
    downloadBlob(r.value.data, r.value.fileName, r.value.mimeType);
    setMessage(`${r.value.entries} entrée(s) et ${r.value.checkpoints} point(s) de contrôle exportés.`);
  };
  const report = async () => {
    setError(null);
    if (!patient) return setError('Saisissez l’IPP ou l’INS du patient.');
    const r = await api.audit.accessReport({ patient, from, to });
    if (!r.ok) return setError(r.error.message);
    downloadBlob(base64ToBytesOrThrow(r.value.pdfBase64), r.value.fileName, 'application/pdf');
    setMessage(`Relevé de ${r.value.accesses} accès généré (PDF).`);
  };
  return (
    <section className="panel">
      <h2>Exports et relevés patient</h2>
      <form className="inline-form" onSubmit={exportJournal}>
        <label>
          Du
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} required />
        </label>
        <label>
          Au
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} required />
        </label>
        <label>
          Patient (IPP ou INS, facultatif)
          <input value={patient} onChange={(e) => setPatient(e.target.value)} />
        </label>
        <label>
          Format
          <select value={format} onChange={(e) => setFormat(e.target.value as 'fhir' | 'jsonl')}>
            <option value="fhir">FHIR R4 (AuditEvent)</option>
            <option value="jsonl">JSON lines</option>
          </select>
        </label>
        <button type="submit" className="primary">
          Exporter
        </button>
        <button type="button" onClick={() => void report()}>
          Qui a consulté ce dossier ? (PDF)
        </button>
      </form>
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
