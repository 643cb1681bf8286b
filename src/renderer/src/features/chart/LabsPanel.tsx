import { useEffect, useMemo, useState } from 'react';
import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { api } from '../../bridge';
import type { ObservationRow } from '../../db/types';
import { formatDateFr } from '../../../../shared/time';
import { LabTrend } from './LabTrend';

/** Lab results: pick an analyte, see its trend drawn and its values in a table. */
export function LabsPanel({ observations, patient }: { observations: ObservationRow[]; patient: PatientRef }) {
  const analytes = useMemo(() => {
    const byCode = new Map<string, ObservationRow[]>();
    for (const o of observations) byCode.set(o.code, [...(byCode.get(o.code) ?? []), o]);
    for (const rows of byCode.values()) rows.sort((a, b) => a.date.localeCompare(b.date));
    return [...byCode.entries()].sort((a, b) => a[1][0]!.label.localeCompare(b[1][0]!.label, 'fr'));
  }, [observations]);
  const [code, setCode] = useState<string | null>(analytes[0]?.[0] ?? null);
  useEffect(() => {
    void api.record.reportAccess({ patient, event: 'record.labs.view' });
  }, [patient]);
  if (analytes.length === 0) return <p className="hint">Aucun résultat de biologie dans le dossier local.</p>;
  const series = analytes.find(([c]) => c === code)?.[1] ?? analytes[0]![1];
  const last = series.at(-1)!;
  return (
    <div className="labs-panel">
      <div className="analyte-list" role="tablist" aria-label="Examens">
        {analytes.map(([c, rows]) => (
          <button key={c} type="button" role="tab" aria-selected={c === (code ?? analytes[0]![0])} className={c === (code ?? analytes[0]![0]) ? 'active' : ''} onClick={() => setCode(c)}>
            {rows[0]!.label} <span className="hint">({rows.length})</span>
          </button>
        ))}
      </div>
      <div className="analyte-detail">
        <h3>
          {last.label} <span className="hint">LOINC {last.code}</span>
        </h3>
        <LabTrend series={series} />
        <table className="data-table">
          <thead>
            <tr>
              <th>Date</th>
              <th>Valeur</th>
              <th>Unité</th>
              <th>Valeurs de référence</th>
            </tr>
          </thead>
          <tbody>
            {[...series].reverse().map((o) => {
              const out = typeof o.value === 'number' && ((o.low !== undefined && o.value < o.low) || (o.high !== undefined && o.value > o.high));
              return (
                <tr key={o.id} className={out ? 'abnormal' : ''}>
                  <td>{formatDateFr(o.date)}</td>
                  <td>{String(o.value)}</td>
                  <td>{o.unit ?? ''}</td>
                  <td>{o.low !== undefined || o.high !== undefined ? `${o.low ?? '…'} – ${o.high ?? '…'}` : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
