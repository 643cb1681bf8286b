import { useState } from 'react';
import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { formatDateFr } from '../../../../shared/time';
import { api } from '../../bridge';
import type { Chart } from '../../db/chart';
import { DocumentsPanel } from './DocumentsPanel';

const LETTER_TYPES = ['11490-0', '18761-7'];

/** What a secretary sees: stays and letters; the clinical chart only if main agrees. */
export function AdminFile({ chart: c, patientRef: ref }: { chart: Chart; patientRef: PatientRef }) {
  const [refusal, setRefusal] = useState<string | null>(null);
  const askClinical = async () => {
    const r = await api.record.openChart({ patient: ref });
    setRefusal(r.ok ? null : r.error.message);
  };
  const letters = c.documents.filter((d) => LETTER_TYPES.includes(d.typeCode));
  return (
    <div className="admin-file" data-testid="admin-file">
      <div className="admin-actions">
        <h3>Dossier administratif</h3>
        <button type="button" onClick={() => void askClinical()}>
          Ouvrir le dossier clinique
        </button>
      </div>
      {refusal && (
        <p className="form-error" role="alert" data-testid="clinical-refused">
          {refusal}
        </p>
      )}
      <StaysTable chart={c} />
      <h3>Lettres de liaison</h3>
      <DocumentsPanel documents={letters} patient={ref} />
    </div>
  );
}

function StaysTable({ chart }: { chart: Chart }) {
  return (
    <table className="data-table">
      <thead>
        <tr>
          <th>Unité</th>
          <th>Entrée</th>
          <th>Sortie</th>
          <th>Type</th>
          <th>Motif</th>
        </tr>
      </thead>
      <tbody>
        {chart.stays.map((s) => (
          <tr key={s.id}>
            <td>{s.unit}</td>
            <td>{formatDateFr(s.start)}</td>
            <td>{s.end ? formatDateFr(s.end) : 'en cours'}</td>
            <td>{s.type}</td>
            <td>{s.motive ?? ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
