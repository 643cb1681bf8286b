import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { CLINICAL_ROLES } from '../../../../shared/authz/roles';
import type { Role } from '../../../../shared/bridge/roles';
import { api } from '../../bridge';
import { loadChart, type Chart } from '../../db/chart';
import { markOpened } from '../../db/patients';
import type { PatientRow } from '../../db/types';
import { documentTypeCategory } from '../../../../shared/loinc-labels';
import { displayName, recordDb, toPatientRef } from '../patients';
import { formatDateFr } from '../../../../shared/time';
import { dmpIdentity, integrateDmpDocument } from './dmp-integration';
import { DmpPanel, useDmpAlerts, useDmpPatientScope } from '../dmp';
import { DmpAlertsStrip } from './DmpAlertsStrip';
import { BedsideForms } from './BedsideForms';
import { BreakGlassDialog } from './BreakGlassDialog';
import { LinkIdentity } from './LinkIdentity';
import { Card, ClinicalLists } from './ClinicalLists';
import { DocumentsPanel } from './DocumentsPanel';
import { IdentityBanner } from './IdentityBanner';
import { LabsPanel } from './LabsPanel';
import { Timeline } from './Timeline';
import { chartKeys } from './keys';

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
  const qc = useQueryClient();
  const [breakGlass, setBreakGlass] = useState(false);
  const [tab, setTab] = useState<Tab>('synthese');
  const [refusal, setRefusal] = useState<string | null>(null);
  // DMP documents of another patient never outlive a patient switch.
  useDmpPatientScope(patient.id);
  const dmpPatient = { ref, identity: dmpIdentity(patient), displayName: displayName(patient) };
  const dmpAlerts = useDmpAlerts(dmpPatient);

  const gate = useQuery({
    queryKey: chartKeys.gate(patient.id, clinical),
    queryFn: () => (clinical ? api.record.openChart({ patient: ref }) : api.record.openIdentity({ patient: ref })),
    staleTime: Infinity,
  });
  const granted = gate.data?.ok === true;
  const chart = useQuery({
    queryKey: chartKeys.chart(patient.id),
    enabled: granted,
    queryFn: async (): Promise<Chart> => {
      const c = await loadChart(recordDb(), patient.id);
      if (!c) throw new Error('Patient introuvable dans le dossier local.');
      // The "recent patients" stamp is a write: it need not delay the chart on screen.
      void markOpened(recordDb(), patient.id).catch((err: unknown) => console.warn('Liste des patients récents non mise à jour :', err));
      return c;
    },
  });
  const now = new Date();

  if (gate.isPending) return <p className="hint">Vérification des droits d’accès…</p>;
  if (gate.data && !gate.data.ok) {
    return (
      <div className="chart">
        <IdentityBanner patient={patient} now={now} />
        <div className="access-denied" role="alert" data-testid="access-denied">
          <p>{gate.data.error.message}</p>
          {clinical && (
            <button type="button" className="danger" onClick={() => setBreakGlass(true)}>
              Accès exceptionnel (bris de glace)…
            </button>
          )}
        </div>
        {breakGlass && (
          <BreakGlassDialog
            patient={ref}
            onCancel={() => setBreakGlass(false)}
            onGranted={() => {
              setBreakGlass(false);
              void qc.invalidateQueries({ queryKey: chartKeys.gates(patient.id) });
            }}
          />
        )}
      </div>
    );
  }
  const c = chart.data;
  const askClinical = async () => {
    const r = await api.record.openChart({ patient: ref });
    setRefusal(r.ok ? null : r.error.message);
  };
  const letters = c?.documents.filter((d) => d.typeCode === '11490-0' || d.typeCode === '18761-7') ?? [];
  const recent = c?.documents.filter((d) => {
    const cat = documentTypeCategory(d.typeCode);
    return (cat === 'imagerie' || cat === 'biologie') && now.getTime() - Date.parse(d.date) < 30 * 86_400_000;
  });

  return (
    <div className="chart" data-testid="chart">
      <IdentityBanner patient={patient} chart={c} now={now} />
      {clinical && <DmpAlertsStrip alerts={dmpAlerts} />}
      {chart.isError && <p className="form-error">{chart.error.message}</p>}
      {!c ? (
        <p className="hint">Chargement du dossier…</p>
      ) : !clinical ? (
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
      ) : (
        <>
          <nav className="tabs" aria-label="Sections du dossier">
            {(
              [
                ['synthese', 'Synthèse'],
                ['documents', `Documents (${c.documents.length})`],
                ['biologie', 'Biologie'],
                ['dmp', 'DMP'],
              ] as const
            ).map(([k, l]) => (
              <button key={k} type="button" className={tab === k ? 'active' : ''} aria-current={tab === k} onClick={() => setTab(k)}>
                {l}
              </button>
            ))}
          </nav>
          {tab === 'synthese' && (
            <div className="synthese">
              {c.currentStay && (
                <p className="current-stay" data-testid="current-stay">
                  Séjour en cours : <strong>{c.currentStay.unit}</strong> depuis le {formatDateFr(c.currentStay.start)} — {c.currentStay.motive ?? c.currentStay.type}
                </p>
              )}
              {recent && recent.length > 0 && (
                <p className="recent-exams" role="note">
                  Examen récent : {recent.map((d) => `${d.typeLabel} du ${formatDateFr(d.date)}`).join(' ; ')} — évitez de le refaire sans raison.
                </p>
              )}
              {patient.identityStatus === 'PROV' && patient.provisionalLabel && !patient.linkedTo && (
                <LinkIdentity provisional={patient} onLinked={(real) => onOpenPatient?.(real)} />
              )}
              {c.linkedIdentities.length > 0 && (
                <p className="hint">Historique rattaché : {c.linkedIdentities.map((p) => p.provisionalLabel ?? p.ipp).join(', ')}</p>
              )}
              <Timeline stays={c.stays} documents={c.documents} now={now} />
              <BedsideForms patient={ref} />
              <ClinicalLists chart={c} />
              {c.notes.length > 0 && (
                <Card title="Notes cliniques" className="notes">
                  {c.notes.map((n) => (
                    <article key={n.id}>
                      <p className="hint">
                        {formatDateFr(n.createdAt)} — {n.author}
                      </p>
                      <p className="note-text">{n.text}</p>
                    </article>
                  ))}
                </Card>
              )}
            </div>
          )}
          {tab === 'documents' && <DocumentsPanel documents={c.documents} patient={ref} />}
          {tab === 'biologie' && <LabsPanel observations={c.observations} patient={ref} />}
          {tab === 'dmp' && (
            <DmpPanel
              patient={dmpPatient}
              role={role}
              onIntegrate={async (doc) => {
                await integrateDmpDocument(doc);
                await qc.invalidateQueries({ queryKey: chartKeys.chart(patient.id) });
              }}
            />
          )}
        </>
      )}
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
