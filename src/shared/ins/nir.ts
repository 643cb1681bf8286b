/**
 * NIR (numéro d'inscription au répertoire): 13 characters + 2-digit key.
 * key = 97 − (N mod 97), where Corsica's "2A"/"2B" department is read as 19/18 (DOMAIN.md §4).
 */

export type NirCheck =
  | { ok: true; nir: string; key: string }
  | { ok: false; error: string };

/** Spaces, dots and dashes typed or pasted between groups are ignored; letters upper-cased. */
export function normaliseNir(input: string): string {
  return input.replace(/[\s.\-_]/g, '').toUpperCase();
}

const BODY_PATTERN = /^[1-478]\d{4}(\d{2}|2[AB])\d{6}$/;

/** The 13-char body as a number string: 2A → 19, 2B → 18 in the department position. */
function numericBody(body13: string): string {
  const dept = body13.slice(5, 7);
  if (dept === '2A') return body13.slice(0, 5) + '19' + body13.slice(7);
  if (dept === '2B') return body13.slice(0, 5) + '18' + body13.slice(7);
  return body13;
}

/** Key of a 13-char NIR body, 1..97. Throws (French message) on a malformed body. */
export function computeNirKey(body13: string): number {
  const body = normaliseNir(body13);
  const error = bodyError(body);
  if (error) throw new Error(error);
  // 13 digits exceed 2^53 only barely, but BigInt keeps the arithmetic exact everywhere.
  const n = BigInt(numericBody(body));
  return 97 - Number(n % 97n);
}

function bodyError(body: string): string | undefined {
  if (body.length !== 13) {
    return `Le NIR doit compter 13 caractères avant la clé (reçu ${body.length}).`;
  }
  if (!/^[0-9AB]+$/.test(body)) {
    return 'Le NIR ne doit contenir que des chiffres (et 2A ou 2B pour la Corse).';
  }
  if (!/^[1-478]/.test(body)) {
    return 'Le NIR doit commencer par 1, 2, 3, 4, 7 ou 8 (sexe ou immatriculation provisoire).';
  }
  if (!BODY_PATTERN.test(body)) {
    return 'Le NIR est mal formé : seul le département (positions 6 et 7) peut valoir 2A ou 2B.';
  }
  return undefined;
}

/** Checks a full 15-char NIR (body + key); the French message says what is wrong. */
export function validateNir(input: string): NirCheck {
  const nir = normaliseNir(input);
  if (nir.length === 0) return { ok: false, error: 'Le NIR est vide.' };
  if (nir.length === 13) {
    return { ok: false, error: 'La clé du NIR manque : saisissez les 15 caractères (13 + clé à 2 chiffres).' };
  }
  if (nir.length !== 15) {
    return { ok: false, error: `Le NIR doit compter 15 caractères, clé comprise (reçu ${nir.length}).` };
  }
  const body = nir.slice(0, 13);
  const keyText = nir.slice(13);
  const error = bodyError(body);
  if (error) return { ok: false, error };
  if (!/^\d{2}$/.test(keyText)) return { ok: false, error: 'La clé du NIR doit être composée de 2 chiffres.' };
  const expected = computeNirKey(body);
  if (Number(keyText) !== expected) {
    return {
      ok: false,
      error: `Clé du NIR incorrecte : ${keyText} saisie, ${String(expected).padStart(2, '0')} attendue. Vérifiez le numéro.`,
    };
  }
  return { ok: true, nir, key: keyText };
}

/** Appends the key to a 13-char body. */
export function withNirKey(body13: string): string {
  const body = normaliseNir(body13);
  return body + String(computeNirKey(body)).padStart(2, '0');
}

/** Display form "2 79 03 51 215 189 89" (sex, year, month, department, commune, order, key). */
export function formatNir(input: string): string {
  const nir = normaliseNir(input);
  if (nir.length < 13) return nir;
  const groups = [nir.slice(0, 1), nir.slice(1, 3), nir.slice(3, 5), nir.slice(5, 7), nir.slice(7, 10), nir.slice(10, 13)];
  if (nir.length > 13) groups.push(nir.slice(13));
  return groups.join(' ');
}
