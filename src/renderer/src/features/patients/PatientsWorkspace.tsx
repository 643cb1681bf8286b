import { useState } from 'react';
import type { Role } from '../../../../shared/bridge/roles';
import type { PatientRow } from '../../db/types';
import { ChartView } from '../chart/ChartView';
import { ImportPanel } from '../import/ImportPanel';
import { PatientSearch } from './PatientSearch';

/** The care workspace: find a patient on the left, their chart on the right. */
export function PatientsWorkspace({ role }: { role: Role }) {
  const [patient, setPatient] = useState<PatientRow | null>(null);
  const [importing, setImporting] = useState(false);
  return (
    <div className="patients-workspace">
      <aside className="patients-side">
        <PatientSearch onOpen={setPatient} selectedId={patient?.id} />
        <button type="button" className="link" onClick={() => setImporting(true)}>
          Importer des données…
        </button>
      </aside>
      <section className="patients-main">
        {importing ? (
          <ImportPanel onClose={() => setImporting(false)} />
        ) : patient ? (
          <ChartView key={patient.id} patient={patient} role={role} />
        ) : (
          <div className="empty-state">
            <h1>Patients</h1>
            <p>Recherchez un patient par son nom, son IPP, son INS ou sa date de naissance. Le dossier local reste disponible sans réseau.</p>
          </div>
        )}
      </section>
    </div>
  );
}
