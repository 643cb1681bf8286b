import { LIMITS, SCHEMAS, frenchIssue, type FhirBinary, type SupportedType } from '../../../../shared/fhir/schemas';
import type { IssueLog } from './report';

/** An entry that passed its schema; the later phases read `data` as the type says. */
export type Parsed = { index: number; type: SupportedType; fullUrl?: string; data: unknown };

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Phase 1: every entry against its schema. Unsupported types are skipped, invalid ones rejected;
 * Binaries are indexed by fullUrl and `Binary/id` for the documents that point to them.
 */
export function validateEntries(entries: readonly unknown[], issues: IssueLog): { parsed: (Parsed | undefined)[]; binaries: Map<string, FhirBinary> } {
  const parsed: (Parsed | undefined)[] = new Array(entries.length);
  const binaries = new Map<string, FhirBinary>();
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (issues.isRejected(i) || entry === undefined) continue;
    const resource = isObject(entry) ? entry.resource : undefined;
    if (!isObject(resource) || typeof resource.resourceType !== 'string') {
      issues.reject(i, 'inconnu', 'entrée sans ressource FHIR (resource.resourceType absent)');
      continue;
    }
    const type = resource.resourceType.slice(0, 60);
    if (!(type in SCHEMAS)) {
      issues.skip(i, type, `type de ressource non repris dans le dossier local (${type})`);
      continue;
    }
    const result = SCHEMAS[type as SupportedType].safeParse(resource);
    if (!result.success) {
      issues.reject(i, type, frenchIssue(result.error));
      continue;
    }
    const fullUrl = isObject(entry) && typeof entry.fullUrl === 'string' && entry.fullUrl.length <= LIMITS.uri ? entry.fullUrl : undefined;
    parsed[i] = fullUrl ? { index: i, type: type as SupportedType, fullUrl, data: result.data } : { index: i, type: type as SupportedType, data: result.data };
    if (type === 'Binary') {
      const b = result.data as FhirBinary;
      if (fullUrl) binaries.set(fullUrl, b);
      if (b.id) binaries.set(`Binary/${b.id}`, b);
    }
  }
  return { parsed, binaries };
}
