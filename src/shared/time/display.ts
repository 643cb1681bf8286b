// French display of times, always in Europe/Paris: every screen, PDF and message a person reads.
import { hl7ToEpoch, parseHl7, type Hl7Time } from './hl7';
import { CALENDAR_DAY, parseInstant } from './instant';

export const DISPLAY_TIME_ZONE = 'Europe/Paris';

export interface ParisParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

let partsFormat: Intl.DateTimeFormat | undefined;

/** The wall-clock fields of an instant in Paris (summer and winter time included). */
export function parisParts(date: Date): ParisParts {
  partsFormat ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: DISPLAY_TIME_ZONE,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const out: Record<string, number> = {};
  for (const p of partsFormat.formatToParts(date)) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { year: out.year!, month: out.month!, day: out.day!, hour: out.hour!, minute: out.minute!, second: out.second! };
}

const two = (n: number) => String(n).padStart(2, '0');
const dayText = (y: number, m: number, d: number) => `${two(d)}/${two(m)}/${String(y).padStart(4, '0')}`;

/** The Paris calendar day of an instant, "YYYY-MM-DD" (the default of a date field, "today"). */
export function parisDay(date: Date): string {
  const p = parisParts(date);
  return `${String(p.year).padStart(4, '0')}-${two(p.month)}-${two(p.day)}`;
}

/** A value that names a day, not an instant: "1980-05-12" or an HL7 TS without hours. */
function writtenDay(value: string): string | null {
  const iso = CALENDAR_DAY.exec(value.trim());
  if (iso) return parseInstant(value) ? dayText(Number(iso[1]), Number(iso[2]), Number(iso[3])) : null;
  if (/^\d{4,8}$/.test(value.trim())) {
    const t = parseHl7(value);
    return t ? formatHl7Fr(t) : null;
  }
  return null;
}

/** A calendar day as written ("12/05/1980"), else the Paris parts of the instant; null when unreadable. */
function writtenDayOrParis(value: string | Date | undefined | null): string | ReturnType<typeof parisParts> | null {
  const day = typeof value === 'string' ? writtenDay(value) : null;
  if (day) return day;
  const d = parseInstant(value);
  return d ? parisParts(d) : null;
}

/** "14/11/2026": the Paris day of an instant; a calendar day as written. */
export function formatDateFr(value: string | Date | undefined | null, fallback = '—'): string {
  const p = writtenDayOrParis(value);
  if (p === null) return fallback;
  return typeof p === 'string' ? p : dayText(p.year, p.month, p.day);
}

/** "14/11/2026 09:00" (with seconds on demand) in Paris; a calendar day alone stays a date. */
export function formatDateTimeFr(value: string | Date | undefined | null, opts: { seconds?: boolean } = {}, fallback = '—'): string {
  const p = writtenDayOrParis(value);
  if (p === null) return fallback;
  if (typeof p === 'string') return p;
  return `${dayText(p.year, p.month, p.day)} ${two(p.hour)}:${two(p.minute)}${opts.seconds ? `:${two(p.second)}` : ''}`;
}

/** "09:00" in Paris. */
export function formatTimeFr(value: string | Date | undefined | null, fallback = '—'): string {
  const d = parseInstant(value);
  if (!d) return fallback;
  const p = parisParts(d);
  return `${two(p.hour)}:${two(p.minute)}`;
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** "3 décembre 2019 à 13:30" in Paris, for sentences ("Ce certificat a expiré le …"). */
export function formatLongDateTimeFr(date: Date): string {
  const p = parisParts(date);
  return `${p.day} ${MONTHS[p.month - 1]!} ${p.year} à ${two(p.hour)}:${two(p.minute)}`;
}

/**
 * An HL7 time at its own precision: "2019", "12/2019", "03/12/2019", "03/12/2019 13:30".
 * A time with an offset is shown in Paris; without one, as written.
 */
export function formatHl7Fr(t: Hl7Time): string {
  if (t.month === undefined) return String(t.year);
  if (t.day === undefined) return `${two(t.month)}/${t.year}`;
  if (t.hour === undefined) return dayText(t.year, t.month, t.day);
  if (t.offset) {
    const p = parisParts(new Date(hl7ToEpoch(t)!));
    return `${dayText(p.year, p.month, p.day)} ${two(p.hour)}:${two(p.minute)}`;
  }
  return `${dayText(t.year, t.month, t.day)} ${two(t.hour)}:${two(t.minute ?? 0)}`;
}
