import { hl7ToEpoch } from './hl7';

/** A calendar day without a time ("1980-05-12"): a birth date, never shifted by a time zone. */
export const CALENDAR_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const DIGITS = /^\d{4,14}(\.\d{1,4})?([+-]\d{4})?$/;

function validDay(m: RegExpExecArray): boolean {
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= new Date(Date.UTC(y, mo, 0)).getUTCDate();
}

/**
 * The instant a value names: a Date, an ISO 8601 string with a time zone (what the bridge
 * hands), a calendar day (taken at 00:00 UTC) or an HL7 TS / XDS DTM. Null when invalid:
 * never "now".
 */
export function parseInstant(value: string | Date | undefined | null): Date | null {
  if (value === undefined || value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value;
  const v = value.trim();
  const day = CALENDAR_DAY.exec(v);
  if (day) return validDay(day) ? new Date(`${v}T00:00:00Z`) : null;
  if (ISO.test(v)) {
    const dayPart = CALENDAR_DAY.exec(v.slice(0, 10));
    if (!dayPart || !validDay(dayPart)) return null;
    const d = new Date(v);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  if (DIGITS.test(v)) {
    const ms = hl7ToEpoch(v);
    return ms === null ? null : new Date(ms);
  }
  return null;
}

/** ISO 8601 UTC form of any accepted value ("2024-03-01T10:00:00.000Z"); null when invalid. */
export function toIsoInstant(value: string | Date | undefined | null): string | null {
  return parseInstant(value)?.toISOString() ?? null;
}

/** ISO 8601 UTC to the second, no milliseconds ("2024-03-01T10:00:00Z"), as SAML wants it. */
export function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
