import { useState } from 'react';
import type { Role } from '../../../../shared/bridge/roles';
import { api } from '../../bridge';
import { createEmergencyPatient } from '../../db/patients';
import type { PatientRow } from '../../db/types';
import { ChartView } from '../chart';
import { ImportPanel } from '../import';
import { NewPatientForm, PatientSearch, recordDb } from '../patients';
import { useSession } from '../session';
import { ReplicaStrip, useSyncRunner } from '../sync';

/** The care workspace: find a patient on the left, their chart on the right. */
export function PatientsWorkspace({ role }: { role: Role }) {
  const [patient, setPatient] = useState<PatientRow | null>(null);
  const [importing, setImporting] = useState(false);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { status } = useSession();
  // The record's cache fills while the care workspace is on screen: a lock or sign-out unmounts it and stops.
  useSyncRunner();
  const unit = status?.user?.units[0];
  const emergency = async () => {
    setError(null);
    try {
      const { row } = await createEmergencyPatient(recordDb(), { unit: 'Urgences' });
      const ack = await api.record.registerPatient({ created: { id: row.id, ipp: row.ipp }, unit: 'Urgences', provisional: true });
      if (!ack.ok) setError(`Patient créé localement ; non enregistré par le poste : ${ack.error.message}`);
      setPatient(row);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  const open = (p: PatientRow) => {
    setImporting(false);
    setCreating(false);
    setPatient(p);
  };
  return (
    <>
      <ReplicaStrip />
      <div className="patients-workspace">
        <aside className="patients-side">
          <PatientSearch onOpen={open} selectedId={patient?.id} />
          <div className="side-actions">
            <button type="button" onClick={() => setCreating(true)}>
              Nouveau patient
            </button>
            <button type="button" onClick={() => void emergency()}>
              Patient non identifié (urgences)
            </button>
            <button type="button" className="link" onClick={() => setImporting(true)}>
              Importer des données…
            </button>
          </div>
          {error && <p className="form-error">{error}</p>}
        </aside>
        <section className="patients-main">
          {importing ? (
            <ImportPanel onClose={() => setImporting(false)} />
          ) : creating ? (
            <NewPatientForm unit={unit} onCancel={() => setCreating(false)} onCreated={open} />
          ) : patient ? (
            <ChartView key={patient.id} patient={patient} role={role} onOpenPatient={open} />
          ) : (
            <div className="empty-state">
              <h1>Patients</h1>
              <p>Recherchez un patient par son nom, son IPP, son INS ou sa date de naissance. Le dossier local reste disponible sans réseau.</p>
            </div>
          )}
        </section>
      </div>
    </>
  );
}
