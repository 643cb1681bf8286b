import { useId, type ReactNode } from 'react';
import type { Chart } from '../../db/chart';
import { formatDateFr } from '../../../../shared/time';

/** Allergies, treatments, problems and procedures, as short lists a clinician scans. */
export function ClinicalLists({ chart }: { chart: Chart }) {
  const current = chart.treatments.filter((t) => t.kind === 'current' && t.status === 'active');
  const discharge = chart.treatments.filter((t) => t.kind === 'discharge');
  return (
    <div className="clinical-grid">
      <Card title="Allergies">
        <ul>
          {chart.allergies.length === 0 && <li className="hint">Aucune allergie connue</li>}
          {chart.allergies.map((a) => (
            <li key={a.id} className={a.criticality === 'high' ? 'critical' : ''}>
              <strong>{a.substance}</strong>
              {a.reaction ? ` — ${a.reaction}` : ''} {a.status === 'inactive' ? '(inactive)' : ''}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Traitements en cours">
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
      </Card>
      <Card title="Problèmes et diagnostics (CIM-10)">
        <ul>
          {chart.problems.length === 0 && <li className="hint">Aucun</li>}
          {chart.problems.map((p) => (
            <li key={p.id} className={p.status === 'resolved' ? 'muted' : ''}>
              <code>{p.code}</code> {p.label} {p.status === 'resolved' ? '(résolu)' : ''}
            </li>
          ))}
        </ul>
      </Card>
      <Card title="Actes (CCAM)">
        <ul>
          {chart.procedures.length === 0 && <li className="hint">Aucun</li>}
          {chart.procedures.map((p) => (
            <li key={p.id}>
              {formatDateFr(p.date)} — <code>{p.code}</code> {p.label}
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

/** A titled card; its heading names the section for assistive technology. */
export function Card({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  const headingId = useId();
  return (
    <section className={className ? `card ${className}` : 'card'} aria-labelledby={headingId}>
      <h3 id={headingId}>{title}</h3>
      {children}
    </section>
  );
}
