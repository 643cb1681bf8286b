/** A write refused because of its input: one French message per bad field. */
export class RecordValidationError extends Error {
  readonly fieldErrors: Record<string, string>;
  constructor(fieldErrors: Record<string, string>) {
    const list = Object.values(fieldErrors);
    super(list.length === 1 ? list[0]! : `Saisie incomplète ou incorrecte :\n- ${list.join('\n- ')}`);
    this.name = 'RecordValidationError';
    this.fieldErrors = fieldErrors;
  }
}

/** A write refused because of the record's state (unknown patient, already linked…). */
export class RecordStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecordStateError';
  }
}

// Letters (any script with diacritics), spaces, hyphens, apostrophes: civil-status names.
const NAME = /^[\p{L}][\p{L}\p{M} '’-]*$/u;

export class Checker {
  readonly errors: Record<string, string> = {};

  fail(field: string, message: string): void {
    if (!(field in this.errors)) this.errors[field] = message;
  }

  /** Trimmed text, required or not, with a length cap. */
  text(field: string, label: string, value: unknown, opts: { required?: boolean; max?: number } = {}): string | undefined {
    const max = opts.max ?? 200;
    if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
      if (opts.required) this.fail(field, `${label} : champ obligatoire.`);
      return undefined;
    }
    if (typeof value !== 'string') {
      this.fail(field, `${label} : texte attendu.`);
      return undefined;
    }
    const text = value.trim();
    if (text.length > max) {
      this.fail(field, `${label} : ${max} caractères au maximum (${text.length} saisis).`);
      return undefined;
    }
    return text;
  }

  name(field: string, label: string, value: unknown, required: boolean): string | undefined {
    const text = this.text(field, label, value, { required, max: 100 });
    if (text !== undefined && !NAME.test(text)) {
      this.fail(field, `${label} : seuls les lettres, espaces, traits d'union et apostrophes sont acceptés.`);
      return undefined;
    }
    return text?.replace(/\s+/g, ' ');
  }

  oneOf<T extends string>(field: string, label: string, value: unknown, allowed: readonly T[], required = true): T | undefined {
    if (value === undefined || value === null || value === '') {
      if (required) this.fail(field, `${label} : champ obligatoire.`);
      return undefined;
    }
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.fail(field, `${label} : valeur non reconnue (attendu : ${allowed.join(', ')}).`);
      return undefined;
    }
    return value as T;
  }

  /** yyyy-mm-dd or dd/mm/yyyy → yyyy-mm-dd, real calendar date within [min, max]. */
  date(field: string, label: string, value: unknown, opts: { required?: boolean; min?: string; max?: string } = {}): string | undefined {
    const text = this.text(field, label, value, { required: opts.required, max: 40 });
    if (text === undefined) return undefined;
    let iso: string | undefined;
    const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
    const en = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
    if (fr) iso = `${fr[3]}-${fr[2]!.padStart(2, '0')}-${fr[1]!.padStart(2, '0')}`;
    else if (en) iso = text;
    const valid = iso !== undefined && !Number.isNaN(Date.parse(iso + 'T00:00:00Z')) && new Date(iso + 'T00:00:00Z').toISOString().startsWith(iso);
    if (!valid) {
      this.fail(field, `${label} : date invalide, attendu jj/mm/aaaa.`);
      return undefined;
    }
    if (opts.max && iso! > opts.max) {
      this.fail(field, `${label} : la date ne peut pas être dans le futur.`);
      return undefined;
    }
    if (opts.min && iso! < opts.min) {
      this.fail(field, `${label} : date trop ancienne.`);
      return undefined;
    }
    return iso;
  }

  throwIfAny(): void {
    if (Object.keys(this.errors).length > 0) throw new RecordValidationError({ ...this.errors });
  }
}
