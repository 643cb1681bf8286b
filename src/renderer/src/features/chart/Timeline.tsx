import { documentTypeCategory } from '../../../../shared/loinc-labels';
import { formatDateFr } from '../../../../shared/time';
import type { DocumentRow, StayRow } from '../../db/types';

const UNIT_COLOURS = ['#1f6f8b', '#b5651d', '#6a4c93', '#2a9d8f', '#c1121f', '#457b9d', '#8d6e63'];
const WIDTH = 900;
const HEIGHT = 150;
const LEFT = 10;
const RIGHT = 10;

function colourFor(unit: string, units: string[]): string {
  return UNIT_COLOURS[units.indexOf(unit) % UNIT_COLOURS.length]!;
}

/**
 * The patient's years at a glance: stays as bars coloured by unit, documents as
 * ticks under them. Drawn as SVG elements (no canvas, no HTML strings).
 */
export function Timeline({ stays, documents, now }: { stays: StayRow[]; documents: DocumentRow[]; now: Date }) {
  const times = [...stays.map((s) => Date.parse(s.start)), ...documents.map((d) => Date.parse(d.date))].filter((t) => !Number.isNaN(t));
  if (times.length === 0) return <p className="hint">Aucun séjour ni document à afficher.</p>;
  const start = new Date(Math.min(...times));
  start.setMonth(0, 1);
  const end = now.getTime();
  const span = Math.max(end - start.getTime(), 1);
  const x = (t: number) => LEFT + ((t - start.getTime()) / span) * (WIDTH - LEFT - RIGHT);
  const units = [...new Set(stays.map((s) => s.unit))];
  const years: number[] = [];
  for (let y = start.getFullYear(); y <= now.getFullYear(); y++) years.push(y);
  const yearStep = Math.ceil(years.length / 12);

  return (
    <figure className="timeline">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={`Frise : ${stays.length} séjour(s) et ${documents.length} document(s)`} data-testid="timeline">
        {years.map((y, i) => {
          const xx = x(new Date(y, 0, 1).getTime());
          return (
            <g key={y}>
              <line x1={xx} x2={xx} y1={12} y2={HEIGHT - 18} stroke="#d9dee4" />
              {i % yearStep === 0 && (
                <text x={xx + 3} y={HEIGHT - 4} fontSize="11" fill="#56606b">
                  {y}
                </text>
              )}
            </g>
          );
        })}
        <text x={LEFT} y={10} fontSize="10" fill="#56606b">
          Séjours
        </text>
        {stays.map((s) => {
          const x1 = x(Date.parse(s.start));
          const x2 = x(s.end ? Date.parse(s.end) : end);
          return (
            <rect key={s.id} x={x1} y={16} width={Math.max(x2 - x1, 4)} height={34} rx={3} fill={colourFor(s.unit, units)} opacity={s.end ? 0.85 : 1}>
              <title>{`${s.unit} — ${s.motive ?? s.type} — ${formatDateFr(s.start)}${s.end ? ' → ' + formatDateFr(s.end) : ' (en cours)'}`}</title>
            </rect>
          );
        })}
        <text x={LEFT} y={68} fontSize="10" fill="#56606b">
          Documents
        </text>
        {documents.map((d) => {
          const cat = documentTypeCategory(d.typeCode);
          const xx = x(Date.parse(d.date));
          return (
            <line key={d.id} x1={xx} x2={xx} y1={74} y2={cat === 'imagerie' ? 100 : cat === 'biologie' ? 92 : 110} stroke={cat === 'imagerie' ? '#6a4c93' : '#13315c'} strokeWidth={2}>
              <title>{`${d.typeLabel} — ${formatDateFr(d.date)}`}</title>
            </line>
          );
        })}
      </svg>
      <figcaption className="legend">
        {units.map((u) => (
          <span key={u}>
            <i style={{ background: colourFor(u, units) }} /> {u}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
