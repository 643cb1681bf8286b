// HL7 TS (CDA effectiveTime) and XDS DTM: YYYY[MM[DD[hh[mm[ss[.f]]]]]][±zzzz].

/** The fields of an HL7 TS as written; precision is what is present. */
export interface Hl7Time {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Milliseconds from the fraction, when written. */
  millisecond?: number;
  /** "+0100" as written, when present. */
  offset?: string;
}

const TS = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.(\d{1,4}))?([+-]\d{4})?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Parses an HL7 TS or XDS DTM; null when malformed or not a real calendar time. */
export function parseHl7(raw: string | undefined): Hl7Time | null {
  const m = raw === undefined ? null : TS.exec(raw.trim());
  if (!m) return null;
  // A fraction only follows seconds; fields come in order, so a gap cannot occur.
  if (m[7] !== undefined && m[6] === undefined) return null;
  const t: Hl7Time = { year: Number(m[1]) };
  const fields: [Exclude<keyof Hl7Time, 'offset' | 'year' | 'millisecond'>, string | undefined, number, number][] = [
    ['month', m[2], 1, 12],
    ['day', m[3], 1, 31],
    ['hour', m[4], 0, 23],
    ['minute', m[5], 0, 59],
    ['second', m[6], 0, 59],
  ];
  for (const [key, text, min, max] of fields) {
    if (text === undefined) break;
    const n = Number(text);
    if (n < min || n > max) return null;
    t[key] = n;
  }
  if (t.day !== undefined && t.day > daysInMonth(t.year, t.month!)) return null;
  if (m[7] !== undefined) t.millisecond = Math.floor(Number(`0.${m[7]}`) * 1000);
  if (m[8] !== undefined) {
    if (Number(m[8].slice(1, 3)) > 14 || Number(m[8].slice(3)) > 59) return null;
    t.offset = m[8];
  }
  return t;
}

/** Offset in minutes east of UTC ("+0130" → 90); 0 when none is written (XDS DTM is UTC). */
function offsetMinutes(offset: string | undefined): number {
  if (!offset) return 0;
  const sign = offset.startsWith('-') ? -1 : 1;
  return sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(3, 5)));
}

/**
 * Instant of an HL7 time in ms since epoch. Without an offset the value is taken as UTC (the
 * XDS DTM rule). `end` gives the last instant of the period written: a day-precision end date
 * lasts the whole day.
 */
export function hl7ToEpoch(t: Hl7Time | string | undefined, end = false): number | null {
  const v = typeof t === 'string' || t === undefined ? parseHl7(t) : t;
  if (!v) return null;
  const month = (v.month ?? (end ? 12 : 1)) - 1;
  const day = v.day ?? (end ? daysInMonth(v.year, month + 1) : 1);
  const hour = v.hour ?? (end ? 23 : 0);
  const minute = v.minute ?? (end ? 59 : 0);
  const second = v.second ?? (end ? 59 : 0);
  const ms = v.millisecond ?? (end && v.second === undefined ? 999 : 0);
  const utc = new Date(0);
  // setUTCFullYear keeps years below 100 as written (Date.UTC would read 0050 as 1950).
  utc.setUTCFullYear(v.year, month, day);
  utc.setUTCHours(hour, minute, second, ms);
  return utc.getTime() - offsetMinutes(v.offset) * 60_000;
}

/** ISO 8601 form of an HL7 time, at its own precision ("1979-03-28", "2019-12-03T13:30:00+01:00"). */
export function hl7ToIsoAsWritten(t: Hl7Time): string {
  const p = (n: number | undefined, w = 2) => String(n ?? 0).padStart(w, '0');
  let s = p(t.year, 4);
  if (t.month === undefined) return s;
  s += `-${p(t.month)}`;
  if (t.day === undefined) return s;
  s += `-${p(t.day)}`;
  if (t.hour === undefined) return s;
  s += `T${p(t.hour)}:${p(t.minute)}:${p(t.second)}`;
  if (t.offset) s += `${t.offset.slice(0, 3)}:${t.offset.slice(3)}`;
  return s;
}

/** Date → XDS DTM in UTC, to the second ("20191203123000"). */
export function toXdsDtm(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** Date → HL7 TS in UTC with its offset written ("20191203123000+0000"), as CDA headers carry it. */
export function toHl7Utc(date: Date): string {
  return `${toXdsDtm(date)}+0000`;
}
