import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CLINICAL_ROLES } from '../../../../shared/authz/roles';
import type { Role } from '../../../../shared/bridge/roles';
import type { Chart } from '../../db/chart';
import type { PatientRow } from '../../db/types';
import { DmpPanel, useDmpAlerts, useDmpPatientScope, type DmpPatient } from '../dmp';
import { displayName, toPatientRef } from '../patients';
import { AccessDenied } from './AccessDenied';
import { AdminFile } from './AdminFile';
import { DmpAlertsStrip } from './DmpAlertsStrip';
import { dmpIdentity, integrateDmpDocument } from './dmp-integration';
import { DocumentsPanel } from './DocumentsPanel';
import { IdentityBanner } from './IdentityBanner';
import { chartKeys } from './keys';
import { LabsPanel } from './LabsPanel';
import { Synthese } from './Synthese';
import { useChart } from './use-chart';

type Tab = 'synthese' | 'documents' | 'biologie' | 'dmp';

const isClinical = (role: Role) => (CLINICAL_ROLES as readonly string[]).includes(role);

/**
 * A patient's chart. Main is asked first (unit scope, break-glass, journal);
 * only a granted access reads the chart from IndexedDB. Secretaries get the
 * administrative file: identity, stays and letters.
 */
export function ChartView({ patient, role, onOpenPatient }: { patient: PatientRow; role: Role; onOpenPatient?: (p: PatientRow) => void }) {
  const clinical = isClinical(role);
  const ref = toPatientRef(patient);
  // DMP documents of another patient never outlive a patient switch.
  useDmpPatientScope(patient.id);
  const dmpPatient = { ref, identity: dmpIdentity(patient), displayName: displayName(patient) };
  const dmpAlerts = useDmpAlerts(dmpPatient);
  const { gate, chart } = useChart(ref, clinical);
  const now = new Date();

  if (gate.isPending) return <p className="hint">Vérification des droits d’accès…</p>;
  if (gate.data && !gate.data.ok) {
    return (
      <div className="chart">
        <IdentityBanner patient={patient} now={now} />
        <AccessDenied message={gate.data.error.message} clinical={clinical} patientRef={ref} />
      </div>
    );
  }
  const c = chart.data;
  return (
    <div className="chart" data-testid="chart">
      <IdentityBanner patient={patient} chart={c} now={now} />
      {clinical && <DmpAlertsStrip alerts={dmpAlerts} />}
      {chart.isError && <p className="form-error">{chart.error.message}</p>}
      {!c ? (
        <p className="hint">Chargement du dossier…</p>
      ) : !clinical ? (
        <AdminFile chart={c} patientRef={ref} />
      ) : (
        <ClinicalChart patient={patient} chart={c} role={role} dmpPatient={dmpPatient} now={now} onOpenPatient={onOpenPatient} />
      )}
    </div>
  );
}

/** The clinician's chart: one tab at a time. */
function ClinicalChart(props: { patient: PatientRow; chart: Chart; role: Role; dmpPatient: DmpPatient; now: Date; onOpenPatient?: ((p: PatientRow) => void) | undefined }) {
  const { patient, chart: c, dmpPatient } = props;
  const qc = useQueryClient();
  const [tab, setTab] = useState<Tab>('synthese');
  const tabs: [Tab, string][] = [
    ['synthese', 'Synthèse'],
    ['documents', `Documents (${c.documents.length})`],
    ['biologie', 'Biologie'],
    ['dmp', 'DMP'],
  ];
  return (
    <>
      <nav className="tabs" aria-label="Sections du dossier">
        {tabs.map(([k, l]) => (
          <button key={k} type="button" className={tab === k ? 'active' : ''} aria-current={tab === k} onClick={() => setTab(k)}>
            {l}
          </button>
        ))}
      </nav>
      {tab === 'synthese' && <Synthese patient={patient} chart={c} patientRef={dmpPatient.ref} now={props.now} onOpenPatient={props.onOpenPatient} />}
      {tab === 'documents' && <DocumentsPanel documents={c.documents} patient={dmpPatient.ref} />}
      {tab === 'biologie' && <LabsPanel observations={c.observations} patient={dmpPatient.ref} />}
      {tab === 'dmp' && (
        <DmpPanel
          patient={dmpPatient}
          role={props.role}
          onIntegrate={async (doc) => {
            await integrateDmpDocument(doc);
            await qc.invalidateQueries({ queryKey: chartKeys.chart(patient.id) });
          }}
        />
      )}
    </>
  );
}
