/** A fresh random id for rows written at the bedside. */
export function newId(prefix: string): string {
  return `${prefix}-${crypto.randomUUID()}`;
}
