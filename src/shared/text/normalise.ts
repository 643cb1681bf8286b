/**
 * Accent- and case-insensitive folding for patient search. Index and query go through the same
 * functions, so "Éloïse", "eloise" and "ELOISE" meet on one token.
 */

const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i' };

// U+2019 right single quote, U+2018, U+02BC modifier apostrophe, U+0060, U+00B4 and the ASCII one.
const APOSTROPHES = /['\u2018\u2019\u02BC\u0060\u00B4]/g;

/** Lower-case, strip diacritics, expand ligatures, unify apostrophes to "'". */
export function foldText(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[œæßøđłı]/g, (c) => LIGATURES[c] ?? c)
    .replace(APOSTROPHES, "'");
}

/**
 * Whole tokens of a name as stored in the multi-entry index.
 * - "Jean-Pierre" → jean, pierre, jeanpierre (typing "jean-p" or "jeanp" both find it)
 * - "N'Diaye" / "D’Almeida" → ndiaye, diaye / dalmeida, almeida (the elided letter alone is noise)
 * - "de La Fontaine" → de, la, fontaine
 */
export function nameTokens(input: string): string[] {
  const out = new Set<string>();
  for (const word of foldText(input).split(/[^a-z0-9'-]+/)) {
    if (!word) continue;
    const parts = word.split(/[-']+/).filter(Boolean);
    const joined = parts.join('');
    if (joined) out.add(joined);
    if (parts.length > 1) {
      const elision = word.includes("'");
      parts.forEach((p, i) => {
        // Drop a lone elided letter ("d", "l", "n") but keep real short parts like "le" or "al".
        if (elision && i < parts.length - 1 && p.length === 1) return;
        out.add(p);
      });
    }
  }
  return [...out];
}

/**
 * Tokens of what the user typed: elisions and hyphens are joined ("n'dia" → ndia, "jean-p" →
 * jeanp) since the index holds the joined forms too; whitespace separates tokens.
 */
export function queryTokens(input: string): string[] {
  const out: string[] = [];
  for (const word of foldText(input).split(/[^a-z0-9'-]+/)) {
    const joined = word.replace(/[-']+/g, '');
    if (joined && !out.includes(joined)) out.push(joined);
  }
  return out;
}

export interface NamedPerson {
  birthFamilyName?: string | undefined;
  usedFamilyName?: string | undefined;
  birthGivenNames?: string | undefined;
  usedGivenName?: string | undefined;
}

/** The multi-entry token set of a patient: birth name, used name, all given names. */
export function searchTokens(person: NamedPerson): string[] {
  const out = new Set<string>();
  for (const field of [person.birthFamilyName, person.usedFamilyName, person.birthGivenNames, person.usedGivenName]) {
    if (field) for (const t of nameTokens(field)) out.add(t);
  }
  return [...out];
}

/** True when every query token is a prefix of at least one of the patient's tokens. */
export function tokensMatch(patientTokens: readonly string[], query: readonly string[]): boolean {
  return query.every((q) => patientTokens.some((t) => t.startsWith(q)));
}
