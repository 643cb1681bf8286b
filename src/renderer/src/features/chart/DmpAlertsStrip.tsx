import type { CdaClinicalSource } from '../../../../shared/cda';
import type { DmpAlerts } from '../dmp';
import { formatDateFr } from '../../../../shared/time';
import { dmpEntryDate } from './dmp-integration';
import { documentTypeLabel } from '../../../../shared/loinc-labels';

/**
 * What the DMP adds to the banner, once the DMP has been opened with consent:
 * allergies and current treatments found in structured shared documents, each
 * with its source document, and imaging/lab exams of the last 30 days.
 */
export function DmpAlertsStrip({ alerts }: { alerts: DmpAlerts }) {
  if (!alerts.available) return null;
  if (alerts.loading) return <p className="hint dmp-alerts">Lecture des alertes du DMP…</p>;
  const nothing = alerts.allergies.length === 0 && alerts.treatments.length === 0 && alerts.recentExams.length === 0;
  if (nothing) return null;
  const source = (s: CdaClinicalSource) => s.title ?? s.typeLabel;
  return (
    <section className="dmp-alerts" aria-label="Alertes issues du DMP" data-testid="dmp-alerts">
      {alerts.allergies.length > 0 && (
        <p className="dmp-alert allergy">
          <strong>DMP — allergies :</strong>{' '}
          {alerts.allergies.map((a, i) => (
            <span key={i}>
              {a.agent ?? a.description ?? a.type ?? 'allergie'}
              <span className="hint"> (source : {source(a.source)})</span>
              {i < alerts.allergies.length - 1 ? ' ; ' : ''}
            </span>
          ))}
        </p>
      )}
      {alerts.treatments.length > 0 && (
        <p className="dmp-alert">
          <strong>DMP — traitements en cours :</strong>{' '}
          {alerts.treatments.map((t, i) => (
            <span key={i}>
              {t.name}
              {t.dose ? ` ${t.dose}` : ''}
              <span className="hint"> (source : {source(t.source)})</span>
              {i < alerts.treatments.length - 1 ? ' ; ' : ''}
            </span>
          ))}
        </p>
      )}
      {alerts.recentExams.length > 0 && (
        <p className="dmp-alert recent">
          <strong>Examen récent (DMP) :</strong>{' '}
          {alerts.recentExams
            .map((e) => `${documentTypeLabel(e.typeCode?.code, e.typeCode?.display)} du ${formatDateFr(dmpEntryDate(e), 'date inconnue')}`)
            .join(' ; ')}{' '}
          — évitez de le refaire sans raison.
        </p>
      )}
    </section>
  );
}
