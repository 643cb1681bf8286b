/** Record lookup that ignores Object.prototype keys ("constructor", "__proto__"…): keys come from documents. */
export function own<T>(record: Readonly<Record<string, T>>, key: string | undefined): T | undefined {
  return key !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
