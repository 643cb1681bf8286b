/**
 * RPPS: the 11-digit national identifier of a health professional.
 * Only the format is enforced: the check-key rule (a Luhn key is commonly
 * cited) could not be confirmed from an ANS publication, so it is offered as
 * a helper for demo data and not used to refuse a real number.
 */
export function isRppsFormat(value: string): boolean {
  return /^[0-9]{11}$/.test(value);
}

/** Luhn check over all digits (the key being the last one). */
export function luhnValid(digits: string): boolean {
  if (!/^[0-9]+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Appends the Luhn key to 10 digits: used to build demo identifiers. */
export function withLuhnKey(tenDigits: string): string {
  if (!/^[0-9]{10}$/.test(tenDigits)) throw new Error('10 chiffres attendus');
  for (let k = 0; k <= 9; k++) {
    const candidate = tenDigits + String(k);
    if (luhnValid(candidate)) return candidate;
  }
  throw new Error('unreachable: a Luhn key always exists');
}
