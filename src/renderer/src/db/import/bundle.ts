import { DEFAULT_IPP_SYSTEM } from '../../../../shared/ins/oids';
import type { RecordDb } from '../database';
import { LIMITS } from '../../../../shared/fhir/schemas';
import { resolveReferences } from './references';
import { ImportError, IssueLog, buildReport, type ImportIssue, type ImportReport } from './report';
import { isObject, validateEntries } from './validate';
import { writeChunks } from './write';

export { ImportError, type ImportIssue, type ImportReport } from './report';

export interface ImportOptions {
  /** Entries per transaction (default 500). */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  ippSystem?: string;
  now?: Date;
}

/** Parses a file's text; a French error when it is not JSON. */
export function parseBundleText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ImportError("Le fichier n'est pas un JSON lisible : vérifiez qu'il s'agit d'un Bundle FHIR R4.");
  }
}

/** Imports a FHIR R4 Bundle (already parsed JSON). */
export async function importFhirBundle(db: RecordDb, bundle: unknown, options: ImportOptions = {}): Promise<ImportReport> {
  if (!isObject(bundle) || bundle.resourceType !== 'Bundle') {
    throw new ImportError("Ce fichier n'est pas un Bundle FHIR (resourceType « Bundle » attendu).");
  }
  const entries = bundle.entry;
  if (entries !== undefined && !Array.isArray(entries)) throw new ImportError('Bundle FHIR invalide : « entry » doit être une liste.');
  return importEntries(db, (entries ?? []) as unknown[], [], options);
}

/** Imports NDJSON: one FHIR resource per line (FHIR bulk data format). */
export async function importNdjson(db: RecordDb, text: string, options: ImportOptions = {}): Promise<ImportReport> {
  const entries: unknown[] = [];
  const rejected: ImportIssue[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) {
      entries.push(undefined);
      continue;
    }
    try {
      entries.push({ resource: JSON.parse(line) });
    } catch {
      entries.push(undefined);
      rejected.push({ index: i, resourceType: 'inconnu', reason: 'ligne JSON illisible' });
    }
  }
  return importEntries(db, entries, rejected, options);
}

/** The phases in order: validate, resolve references (and map patients), map and write chunks, report. */
async function importEntries(db: RecordDb, entries: unknown[], preRejected: ImportIssue[], options: ImportOptions): Promise<ImportReport> {
  if (entries.length > LIMITS.entries) {
    throw new ImportError(`Lot trop volumineux : ${entries.length} entrées (maximum ${LIMITS.entries}). Découpez-le.`);
  }
  const now = options.now ?? new Date();
  const issues = new IssueLog(preRejected);
  const { parsed, binaries } = validateEntries(entries, issues);
  const refs = await resolveReferences(db, parsed, issues, options.ippSystem ?? DEFAULT_IPP_SYSTEM, now.getTime());
  const writtenPatients = new Set<string>();
  const ctx = { refs, binaries, importedAt: now.toISOString(), issues, writtenPatients };
  const imported = await writeChunks(db, parsed, ctx, Math.max(1, options.chunkSize ?? 500), options.onProgress);
  return buildReport(entries.length, imported, issues, writtenPatients.size);
}
