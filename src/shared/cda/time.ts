import type { CdaInterval, CdaTime } from './types';

const TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?$/;

/** Parses an HL7 TS ("20191203133000+0100", "19790328", "2021"). Invalid values keep only `raw`. */
export function parseCdaTime(raw: string | undefined): CdaTime | undefined {
  if (raw === undefined) return undefined;
  const value = raw.trim();
  if (value === '') return undefined;
  const m = TS.exec(value);
  if (!m) return { raw: value };
  const t: CdaTime = { raw: value, year: Number(m[1]) };
  const parts: [keyof CdaTime, string | undefined, number, number][] = [
    ['month', m[2], 1, 12],
    ['day', m[3], 1, 31],
    ['hour', m[4], 0, 23],
    ['minute', m[5], 0, 59],
    ['second', m[6], 0, 60],
  ];
  for (const [key, text, min, max] of parts) {
    if (text === undefined) break;
    const n = Number(text);
    if (n < min || n > max) return { raw: value };
    (t as unknown as Record<string, number>)[key] = n;
  }
  if (t.day !== undefined && t.month !== undefined && t.year !== undefined) {
    const probe = new Date(Date.UTC(t.year, t.month - 1, t.day));
    if (probe.getUTCMonth() !== t.month - 1) return { raw: value };
  }
  if (m[7]) t.timezone = m[7];
  t.iso = toIso(t);
  return t;
}

function pad(n: number | undefined, width = 2): string {
  return String(n ?? 0).padStart(width, '0');
}

function toIso(t: CdaTime): string {
  let s = pad(t.year, 4);
  if (t.month === undefined) return s;
  s += `-${pad(t.month)}`;
  if (t.day === undefined) return s;
  s += `-${pad(t.day)}`;
  if (t.hour === undefined) return s;
  s += `T${pad(t.hour)}:${pad(t.minute)}:${pad(t.second)}`;
  if (t.timezone) s += `${t.timezone.slice(0, 3)}:${t.timezone.slice(3)}`;
  return s;
}

/** French display as written in the document (no time-zone conversion): "03/12/2019 13:30". */
export function formatCdaTime(t: CdaTime | undefined): string {
  if (!t) return '';
  if (t.year === undefined) return t.raw;
  if (t.month === undefined) return String(t.year);
  if (t.day === undefined) return `${pad(t.month)}/${t.year}`;
  const date = `${pad(t.day)}/${pad(t.month)}/${t.year}`;
  if (t.hour === undefined) return date;
  return `${date} ${pad(t.hour)}:${pad(t.minute)}`;
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
 * written (a day-precision end date lasts the whole day). No time zone: taken as UTC.
 */
export function cdaTimeToEpoch(t: CdaTime | undefined, end = false): number | undefined {
  if (!t || t.year === undefined) return undefined;
  const month = (t.month ?? (end ? 12 : 1)) - 1;
  const day = t.day ?? (end ? new Date(Date.UTC(t.year, month + 1, 0)).getUTCDate() : 1);
  const hour = t.hour ?? (end ? 23 : 0);
  const minute = t.minute ?? (end ? 59 : 0);
  const second = t.second ?? (end ? 59 : 0);
  let ms = Date.UTC(t.year, month, day, hour, minute, second, end && t.second === undefined ? 999 : 0);
  if (t.timezone) {
    const sign = t.timezone.startsWith('-') ? -1 : 1;
    const offsetMin = Number(t.timezone.slice(1, 3)) * 60 + Number(t.timezone.slice(3, 5));
    ms -= sign * offsetMin * 60_000;
  }
  return ms;
}
