// CDA times over the shared time module: the model keeps what was written (raw) beside the fields.
import { formatHl7Fr, hl7ToEpoch, hl7ToIsoAsWritten, parseHl7, type Hl7Time } from '../time';
import type { CdaInterval, CdaTime } from './types';

/** Parses an HL7 TS ("20191203133000+0100", "19790328", "2021"). Invalid values keep only `raw`. */
export function parseCdaTime(raw: string | undefined): CdaTime | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  const t = parseHl7(value);
  if (!t) return { raw: value };
  const { offset, millisecond: _ms, ...fields } = t;
  return { raw: value, ...fields, ...(offset ? { timezone: offset } : {}), iso: hl7ToIsoAsWritten(t) };
}

function fieldsOf(t: CdaTime): Hl7Time | undefined {
  if (t.year === undefined) return undefined;
  const { raw: _raw, iso: _iso, timezone, ...fields } = t;
  return { ...fields, year: t.year, ...(timezone ? { offset: timezone } : {}) };
}

/** French display: "03/12/2019 13:30" (a time with an offset is shown in Europe/Paris). */
export function formatCdaTime(t: CdaTime | undefined): string {
  if (!t) return '';
  const fields = fieldsOf(t);
  return fields ? formatHl7Fr(fields) : t.raw;
}

export function formatCdaInterval(i: CdaInterval | undefined): string {
  if (!i) return '';
  if (i.value) return formatCdaTime(i.value);
  const low = formatCdaTime(i.low);
  const high = formatCdaTime(i.high);
  if (low && high) return low === high ? low : `du ${low} au ${high}`;
  if (low) return `depuis le ${low}`;
  if (high) return `jusqu\u2019au ${high}`;
  return '';
}

/**
 * Instant of a CDA time, in ms since epoch. `end` = true gives the last instant of the period
 * written (a day-precision end date lasts the whole day). Without a time zone: taken as UTC.
 */
export function cdaTimeToEpoch(t: CdaTime | undefined, end = false): number | undefined {
  const fields = t && fieldsOf(t);
  return fields ? (hl7ToEpoch(fields, end) ?? undefined) : undefined;
}
