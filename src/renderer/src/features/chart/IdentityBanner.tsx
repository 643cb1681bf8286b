import { IDENTITY_STATUS_LABELS, insDisplay } from '../../../../shared/ins/identity-status';
import type { Chart } from '../../db/chart';
import type { PatientRow } from '../../db/types';
import { ageAt, displayName, SEX_LABEL } from '../patients';
import { formatDateFr } from '../../../../shared/time';

/** Who this is, at a glance and without ambiguity: the strict traits, IPP, INS status, allergies, unit. */
export function IdentityBanner({ patient, chart, now }: { patient: PatientRow; chart?: Chart; now: Date }) {
  const allergies = chart?.allergies.filter((a) => a.status === 'active') ?? [];
  return (
    <section className="identity-banner" aria-label="Identité du patient" data-testid="identity-banner">
      <div className="identity-main">
        <h2 className="identity-name">{displayName(patient)}</h2>
        <div className="identity-traits">
          <span>{SEX_LABEL[patient.sex]}</span>
          <span>
            né·e le {formatDateFr(patient.birthDate)} ({ageAt(patient.birthDate, now)})
          </span>
          <span>Prénoms de naissance : {patient.birthGivenNames || '—'}</span>
          <span>IPP {patient.ipp}</span>
          <span className={`ins-status ins-${patient.identityStatus}`} title={insDisplay(patient)}>
            {IDENTITY_STATUS_LABELS[patient.identityStatus]}
            {patient.identityStatus === 'QUAL' && patient.insNir ? ` · INS ${patient.insNir}` : ''}
          </span>
        </div>
      </div>
      <div className="identity-side">
        {chart && (
          <span className={`allergy-badge ${allergies.length ? 'has' : 'none'}`} data-testid="allergy-badge">
            {allergies.length ? `⚠ Allergies : ${allergies.map((a) => a.substance).join(', ')}` : 'Aucune allergie connue'}
          </span>
        )}
        <span className="unit-badge">{chart?.currentStay ? `Hospitalisé·e en ${chart.currentStay.unit}` : patient.currentUnit ? patient.currentUnit : 'Pas de séjour en cours'}</span>
      </div>
    </section>
  );
}
