import { queryTokens } from './normalise';

/** What one search box string asks for. */
export type PatientQuery =
  | { kind: 'recent' }
  | { kind: 'name'; tokens: string[]; birthDate?: string }
  | { kind: 'ipp'; prefix: string }
  | { kind: 'ins'; prefix: string }
  | { kind: 'birthDate'; date: string };

/** Digit strings this long (NIR body is 13) are read as an INS; shorter ones as an IPP. */
export const INS_MIN_DIGITS = 13;

const DATE = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/;

/** "23/11/1980" → "1980-11-23"; undefined if not a real calendar date. */
export function parseFrenchDate(text: string): string | undefined {
  const m = DATE.exec(text.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return undefined;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  if (d > days) return undefined;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * A query is name prefixes (optionally with a birth date), an IPP, an INS/NIR (digits, spaces
 * allowed, 2A/2B for Corsica) or a birth date dd/mm/yyyy. Empty means "recent patients".
 */
export function parsePatientQuery(input: string): PatientQuery {
  const text = input.trim();
  if (!text) return { kind: 'recent' };
  const compact = text.replace(/[\s.]/g, '').toUpperCase();
  if (/^\d+$/.test(compact) || /^[1-478]\d{4}2[AB]\d*$/.test(compact)) {
    return compact.length >= INS_MIN_DIGITS ? { kind: 'ins', prefix: compact } : { kind: 'ipp', prefix: compact };
  }
  const words = text.split(/\s+/);
  let birthDate: string | undefined;
  const nameWords: string[] = [];
  for (const w of words) {
    const date = parseFrenchDate(w);
    if (date && !birthDate) birthDate = date;
    else nameWords.push(w);
  }
  const tokens = queryTokens(nameWords.join(' '));
  if (tokens.length === 0) {
    return birthDate ? { kind: 'birthDate', date: birthDate } : { kind: 'recent' };
  }
  return birthDate ? { kind: 'name', tokens, birthDate } : { kind: 'name', tokens };
}
