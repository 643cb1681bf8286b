import type { Chart } from '../../db/chart';
import { formatDate } from '../patients/patient-ref';

/** Allergies, treatments, problems and procedures, as short lists a clinician scans. */
export function ClinicalLists({ chart }: { chart: Chart }) {
  const current = chart.treatments.filter((t) => t.kind === 'current' && t.status === 'active');
  const discharge = chart.treatments.filter((t) => t.kind === 'discharge');
  return (
    <div className="clinical-grid">
      <section className="card" aria-labelledby="allergies-h">
        <h3 id="allergies-h">Allergies</h3>
        <ul>
          {chart.allergies.length === 0 && <li className="hint">Aucune allergie connue</li>}
          {chart.allergies.map((a) => (
            <li key={a.id} className={a.criticality === 'high' ? 'critical' : ''}>
              <strong>{a.substance}</strong>
              {a.reaction ? ` — ${a.reaction}` : ''} {a.status === 'inactive' ? '(inactive)' : ''}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="treatments-h">
        <h3 id="treatments-h">Traitements en cours</h3>
        <ul>
          {current.length === 0 && <li className="hint">Aucun</li>}
          {current.map((t) => (
            <li key={t.id}>
              <strong>{t.medication}</strong> — {t.dosage}
            </li>
          ))}
        </ul>
        {discharge.length > 0 && (
          <>
            <h4>Ordonnances de sortie</h4>
            <ul>
              {discharge.map((t) => (
                <li key={t.id}>
                  {t.medication} — {t.dosage}
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
      <section className="card" aria-labelledby="problems-h">
        <h3 id="problems-h">Problèmes et diagnostics (CIM-10)</h3>
        <ul>
          {chart.problems.length === 0 && <li className="hint">Aucun</li>}
          {chart.problems.map((p) => (
            <li key={p.id} className={p.status === 'resolved' ? 'muted' : ''}>
              <code>{p.code}</code> {p.label} {p.status === 'resolved' ? '(résolu)' : ''}
            </li>
          ))}
        </ul>
      </section>
      <section className="card" aria-labelledby="procedures-h">
        <h3 id="procedures-h">Actes (CCAM)</h3>
        <ul>
          {chart.procedures.length === 0 && <li className="hint">Aucun</li>}
          {chart.procedures.map((p) => (
            <li key={p.id}>
              {formatDate(p.date)} — <code>{p.code}</code> {p.label}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
