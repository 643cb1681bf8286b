import type { PatientRow } from '../../db/types';
import type { Chart } from '../../db/chart';
import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { documentTypeCategory } from '../../../../shared/loinc-labels';
import { formatDateFr } from '../../../../shared/time';
import { BedsideForms } from './BedsideForms';
import { Card, ClinicalLists } from './ClinicalLists';
import { LinkIdentity } from './LinkIdentity';
import { Timeline } from './Timeline';

const RECENT_EXAM_MS = 30 * 86_400_000;

/** The chart's first tab: the stay, recent exams, the timeline, bedside writing and the clinical lists. */
export function Synthese({ patient, chart: c, patientRef, now, onOpenPatient }: { patient: PatientRow; chart: Chart; patientRef: PatientRef; now: Date; onOpenPatient?: ((p: PatientRow) => void) | undefined }) {
  const recent = c.documents.filter((d) => {
    const cat = documentTypeCategory(d.typeCode);
    return (cat === 'imagerie' || cat === 'biologie') && now.getTime() - Date.parse(d.date) < RECENT_EXAM_MS;
  });
  const ref = patientRef;
  return (
    <div className="synthese">
      {c.currentStay && (
        <p className="current-stay" data-testid="current-stay">
          Séjour en cours : <strong>{c.currentStay.unit}</strong> depuis le {formatDateFr(c.currentStay.start)} — {c.currentStay.motive ?? c.currentStay.type}
        </p>
      )}
      {recent.length > 0 && (
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
  );
}
