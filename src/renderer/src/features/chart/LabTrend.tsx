import type { ObservationRow } from '../../db/types';
import { formatDateFr } from '../../../../shared/time';

const W = 640;
const H = 220;
const PAD = { l: 48, r: 16, t: 16, b: 28 };

/**
 * One analyte over time: the values as a line, the reference range as a band,
 * out-of-range points in red. Numbers are drawn, not guessed: non-numeric
 * values are left to the table.
 */
export function LabTrend({ series }: { series: ObservationRow[] }) {
  const points = series.filter((o) => typeof o.value === 'number').map((o) => ({ t: Date.parse(o.date), v: o.value as number, o }));
  if (points.length === 0) return <p className="hint">Pas de valeur numérique à tracer pour cet examen.</p>;
  const first = series[0]!;
  const low = first.low;
  const high = first.high;
  const vs = points.map((p) => p.v).concat(low ?? [], high ?? []);
  let vmin = Math.min(...vs);
  let vmax = Math.max(...vs);
  if (vmin === vmax) {
    vmin -= 1;
    vmax += 1;
  }
  const margin = (vmax - vmin) * 0.1;
  vmin -= margin;
  vmax += margin;
  const tmin = points[0]!.t;
  const tmax = Math.max(points.at(-1)!.t, tmin + 1);
  const x = (t: number) => PAD.l + ((t - tmin) / (tmax - tmin)) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - ((v - vmin) / (vmax - vmin)) * (H - PAD.t - PAD.b);
  const path = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
  const ticks = [vmin + margin, (vmin + vmax) / 2, vmax - margin];
  const out = (v: number) => (low !== undefined && v < low) || (high !== undefined && v > high);
  return (
    <svg className="lab-trend" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Évolution : ${first.label}`} data-testid="lab-trend">
      {low !== undefined && high !== undefined && <rect x={PAD.l} width={W - PAD.l - PAD.r} y={y(high)} height={Math.max(y(low) - y(high), 1)} fill="#e6f4ea" />}
      {ticks.map((v) => (
        <g key={v}>
          <line x1={PAD.l} x2={W - PAD.r} y1={y(v)} y2={y(v)} stroke="#eef1f4" />
          <text x={PAD.l - 6} y={y(v) + 4} fontSize="11" textAnchor="end" fill="#56606b">
            {Number(v.toPrecision(3))}
          </text>
        </g>
      ))}
      <path d={path} fill="none" stroke="#13315c" strokeWidth={2} />
      {points.map((p) => (
        <circle key={p.o.id} cx={x(p.t)} cy={y(p.v)} r={4} fill={out(p.v) ? '#b3261e' : '#13315c'}>
          <title>{`${formatDateFr(p.o.date)} : ${p.v} ${p.o.unit ?? ''}`}</title>
        </circle>
      ))}
      <text x={PAD.l} y={H - 8} fontSize="11" fill="#56606b">
        {formatDateFr(series[0]!.date)}
      </text>
      <text x={W - PAD.r} y={H - 8} fontSize="11" textAnchor="end" fill="#56606b">
        {formatDateFr(series.at(-1)!.date)}
      </text>
    </svg>
  );
}
