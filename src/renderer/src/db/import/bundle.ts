import { DEFAULT_IPP_SYSTEM } from '../../../../shared/ins/oids';
import { recordEvent, type RecordAuditEvent } from '../audit';
import type { RecordDb } from '../database';
import { ROW_TABLES, type PatientRow, type RecordRows } from '../types';
import { importBatch } from './batch';
import {
  LIMITS,
  SCHEMAS,
  frenchIssue,
  type FhirBinary,
  type FhirEncounter,
  type FhirPatient,
  type FhirReference,
  type SupportedType,
} from './fhir-schemas';
import {
  MappingError,
  ippOf,
  isIpp,
  mapAllergy,
  mapCondition,
  mapDocumentReference,
  mapEncounter,
  mapMedicationRequest,
  mapObservation,
  mapPatient,
  mapProcedure,
  rowId,
} from './map';
import { insOidFromSystem } from '../../../../shared/ins/oids';
import { normaliseNir } from '../../../../shared/ins/nir';

export interface ImportIssue {
  /** Position of the entry in the bundle (0-based) or line in NDJSON (0-based). */
  index: number;
  resourceType: string;
  reason: string;
}

export interface ImportReport {
  total: number;
  /** Rows written per table. */
  imported: Record<(typeof ROW_TABLES)[number], number>;
  rejected: ImportIssue[];
  /** Resource types the record does not hold (List, Practitioner…). */
  skipped: ImportIssue[];
  /** Distinct patients written or updated. */
  patients: number;
  audit: RecordAuditEvent;
}

export interface ImportOptions {
  /** Entries per transaction (default 500). */
  chunkSize?: number;
  onProgress?: (done: number, total: number) => void;
  ippSystem?: string;
  now?: Date;
}

/** A bundle refused as a whole (not a Bundle, unreadable JSON). */
export class ImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImportError';
  }
}

/** Parses a file's text; a French error when it is not JSON. */
export function parseBundleText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new ImportError("Le fichier n'est pas un JSON lisible : vérifiez qu'il s'agit d'un Bundle FHIR R4.");
  }
}

type Parsed = { index: number; type: SupportedType; fullUrl?: string; data: unknown };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const PREFIX: Record<string, string> = {
  Encounter: 'sej',
  Condition: 'pb',
  Procedure: 'act',
  AllergyIntolerance: 'all',
  MedicationRequest: 'trt',
  Observation: 'obs',
  DocumentReference: 'doc',
};

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

async function importEntries(db: RecordDb, entries: unknown[], preRejected: ImportIssue[], options: ImportOptions): Promise<ImportReport> {
  if (entries.length > LIMITS.entries) {
    throw new ImportError(`Lot trop volumineux : ${entries.length} entrées (maximum ${LIMITS.entries}). Découpez-le.`);
  }
  const now = options.now ?? new Date();
  const importedAt = now.toISOString();
  const ippSystem = options.ippSystem ?? DEFAULT_IPP_SYSTEM;
  const chunkSize = Math.max(1, options.chunkSize ?? 500);
  const total = entries.length;
  const rejected = [...preRejected];
  const rejectedAt = new Set(preRejected.map((r) => r.index));
  const skipped: ImportIssue[] = [];
  const reject = (index: number, resourceType: string, reason: string) => {
    rejected.push({ index, resourceType, reason });
    rejectedAt.add(index);
  };

  // Pass 1: validate every entry; index Binaries and Patients.
  const parsed: (Parsed | undefined)[] = new Array(total);
  const binaries = new Map<string, FhirBinary>();
  for (let i = 0; i < total; i++) {
    const entry = entries[i];
    if (rejectedAt.has(i) || entry === undefined) continue;
    const resource = isObject(entry) ? entry.resource : undefined;
    if (!isObject(resource) || typeof resource.resourceType !== 'string') {
      reject(i, 'inconnu', 'entrée sans ressource FHIR (resource.resourceType absent)');
      continue;
    }
    const type = resource.resourceType.slice(0, 60);
    if (!(type in SCHEMAS)) {
      skipped.push({ index: i, resourceType: type, reason: `type de ressource non repris dans le dossier local (${type})` });
      continue;
    }
    const result = SCHEMAS[type as SupportedType].safeParse(resource);
    if (!result.success) {
      reject(i, type, frenchIssue(result.error));
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

  // Patients: IPP decides the row id (an existing local row with that IPP is updated in place).
  const bundlePatients: { index: number; p: FhirPatient; ipp: string; fullUrl?: string }[] = [];
  const seenIpp = new Map<string, number>();
  for (const item of parsed) {
    if (item?.type !== 'Patient') continue;
    const p = item.data as FhirPatient;
    const ipp = ippOf(p, ippSystem);
    if (!ipp) {
      reject(item.index, 'Patient', "patient sans IPP (identifiant de type PI) : impossible de l'intégrer au dossier hospitalier");
      parsed[item.index] = undefined;
      continue;
    }
    if (!/^[A-Za-z0-9-]{1,40}$/.test(ipp)) {
      reject(item.index, 'Patient', 'IPP mal formé (lettres, chiffres et tirets, 40 caractères au maximum)');
      parsed[item.index] = undefined;
      continue;
    }
    if (seenIpp.has(ipp)) {
      reject(item.index, 'Patient', `IPP ${ipp} en double dans le lot (déjà à l'entrée ${seenIpp.get(ipp)})`);
      parsed[item.index] = undefined;
      continue;
    }
    seenIpp.set(ipp, item.index);
    bundlePatients.push(item.fullUrl ? { index: item.index, p, ipp, fullUrl: item.fullUrl } : { index: item.index, p, ipp });
  }

  // References to patients outside the bundle, by identifier: looked up once in the database.
  const wantIpp = new Set<string>(seenIpp.keys());
  const wantIns = new Set<string>();
  for (const item of parsed) {
    if (!item || item.type === 'Patient' || item.type === 'Binary') continue;
    const ref = subjectOf(item);
    const ident = identifierOfRef(ref);
    if (!ident) continue;
    if (insOidFromSystem(ident.system)) wantIns.add(normaliseNir(ident.value));
    else wantIpp.add(ident.value);
  }
  const [byIppRows, byInsRows] = await db.transaction('r', db.patients, () =>
    Promise.all([
      wantIpp.size ? db.patients.where('ipp').anyOf([...wantIpp]).toArray() : Promise.resolve([] as PatientRow[]),
      wantIns.size ? db.patients.where('insNir').anyOf([...wantIns]).toArray() : Promise.resolve([] as PatientRow[]),
    ]),
  );
  const existingByIpp = new Map(byIppRows.map((r) => [r.ipp, r]));
  const existingByIns = new Map(byInsRows.filter((r) => r.insNir && !r.linkedTo).map((r) => [r.insNir!, r]));

  const patientIdByKey = new Map<string, string>();
  const patientIdByIpp = new Map<string, string>();
  const patientIdByIns = new Map<string, string>();
  const patientRowAt = new Map<number, PatientRow>();
  for (const { index, p, ipp, fullUrl } of bundlePatients) {
    const id = existingByIpp.get(ipp)?.id ?? `pat-${ipp}`;
    let row: PatientRow;
    try {
      row = mapPatient(p, id, ipp, now.getTime());
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
      // A refused patient is not registered: resources pointing to it are reported too.
      reject(index, 'Patient', e.message);
      parsed[index] = undefined;
      continue;
    }
    patientRowAt.set(index, row);
    patientIdByIpp.set(ipp, id);
    if (p.id) patientIdByKey.set(`Patient/${p.id}`, id);
    if (fullUrl) patientIdByKey.set(fullUrl, id);
    if (row.insNir) patientIdByIns.set(row.insNir, id);
  }

  const resolvePatient = (ref: FhirReference | undefined): string | undefined => {
    if (!ref) return undefined;
    const ident = identifierOfRef(ref);
    if (ident) {
      if (insOidFromSystem(ident.system)) {
        const nir = normaliseNir(ident.value);
        return patientIdByIns.get(nir) ?? existingByIns.get(nir)?.id;
      }
      if (ident.system === undefined || isIpp({ system: ident.system }, ippSystem)) {
        return patientIdByIpp.get(ident.value) ?? existingByIpp.get(ident.value)?.id;
      }
      return undefined;
    }
    const r = ref.reference;
    if (!r) return undefined;
    const m = /(?:^|\/)(Patient\/[A-Za-z0-9.-]{1,64})(?:\/_history\/.*)?$/.exec(r);
    return patientIdByKey.get(r) ?? (m ? patientIdByKey.get(m[1]!) : undefined);
  };

  // Stays: row ids known before mapping procedures and documents that point to them; units
  // gathered for each patient row.
  const stayIdByKey = new Map<string, string>();
  const unitsOf = new Map<string, { units: Set<string>; current?: string }>();
  for (const item of parsed) {
    if (item?.type !== 'Encounter') continue;
    const e = item.data as FhirEncounter;
    const patientId = resolvePatient(e.subject);
    if (!patientId) continue;
    const id = rowId('sej', 'Encounter', keysOf(e, item), patientId);
    if (e.id) stayIdByKey.set(`Encounter/${e.id}`, id);
    if (item.fullUrl) stayIdByKey.set(item.fullUrl, id);
    const unit = e.serviceProvider?.display ?? e.location?.[0]?.location.display;
    if (unit) {
      const u = unitsOf.get(patientId) ?? { units: new Set<string>() };
      u.units.add(unit);
      if (e.status === 'in-progress' || (e.period?.start && !e.period.end && e.status !== 'finished')) u.current = unit;
      unitsOf.set(patientId, u);
    }
  }
  const resolveStay = (ref: FhirReference | undefined) => {
    const r = ref?.reference;
    if (!r) return undefined;
    const m = /(Encounter\/[A-Za-z0-9.-]{1,64})$/.exec(r);
    return stayIdByKey.get(r) ?? (m ? stayIdByKey.get(m[1]!) : undefined);
  };

  // Pass 2: map and write chunk by chunk, each chunk in one transaction.
  const imported = Object.fromEntries(ROW_TABLES.map((t) => [t, 0])) as ImportReport['imported'];
  const writtenPatients = new Set<string>();
  let pending: Promise<unknown> = Promise.resolve();
  let done = 0;
  for (let start = 0; start < total; start += chunkSize) {
    const end = Math.min(total, start + chunkSize);
    const rows: Required<RecordRows> = {
      patients: [], stays: [], documents: [], documentContents: [], allergies: [], treatments: [],
      problems: [], procedures: [], observations: [], notes: [],
    };
    for (let i = start; i < end; i++) {
      const item = parsed[i];
      if (!item || item.type === 'Binary') continue;
      try {
        if (item.type === 'Patient') {
          const row = patientRowAt.get(i)!;
          rows.patients.push(mergeLocal(row, existingByIpp.get(row.ipp), unitsOf.get(row.id)));
          writtenPatients.add(row.id);
          continue;
        }
        const subject = subjectOf(item);
        const patientId = resolvePatient(subject);
        if (!patientId) {
          throw new MappingError(
            `patient référencé introuvable, ni dans le lot ni dans le dossier local (${describeRef(subject)})`,
          );
        }
        const keys = keysOf(item.data as { id?: string; identifier?: { system?: string; value?: string }[] }, item);
        const id = rowId(PREFIX[item.type]!, item.type, keys, patientId);
        const d = item.data as never;
        switch (item.type) {
          case 'Encounter':
            rows.stays.push(mapEncounter(d, id, patientId));
            break;
          case 'Condition':
            rows.problems.push(mapCondition(d, id, patientId));
            break;
          case 'Procedure':
            rows.procedures.push(mapProcedure(d, id, patientId, resolveStay((item.data as { encounter?: FhirReference }).encounter)));
            break;
          case 'AllergyIntolerance':
            rows.allergies.push(mapAllergy(d, id, patientId, importedAt));
            break;
          case 'MedicationRequest':
            rows.treatments.push(mapMedicationRequest(d, id, patientId));
            break;
          case 'Observation':
            rows.observations.push(mapObservation(d, id, patientId));
            break;
          case 'DocumentReference': {
            const doc = item.data as { context?: { encounter?: FhirReference[] } };
            const mapped = mapDocumentReference(d, id, patientId, resolveStay(doc.context?.encounter?.[0]), (url) => binaries.get(url));
            rows.documents.push(mapped.document);
            rows.documentContents.push(mapped.content);
            break;
          }
        }
      } catch (e) {
        if (!(e instanceof MappingError)) throw e;
        reject(i, item.type, e.message);
      }
    }
    // Map the next chunk while this one commits; at most one write in flight.
    await pending;
    onDone();
    const chunkEnd = end;
    pending = importBatch(db, rows).then(
      () => {
        for (const t of ROW_TABLES) imported[t] += rows[t].length;
        done = chunkEnd;
      },
      (err: unknown) => {
        throw new ImportError(
          `Écriture interrompue à l'entrée ${start} : ${err instanceof Error ? err.message : String(err)}. ` +
            `Les ${start} entrées précédentes sont enregistrées ; relancez l'import (il est sans doublon).`,
        );
      },
    );
  }
  await pending;
  onDone();

  function onDone() {
    if (done > 0) options.onProgress?.(done, total);
  }

  rejected.sort((a, b) => a.index - b.index);
  const totalRows = ROW_TABLES.reduce((s, t) => s + imported[t], 0);
  return {
    total,
    imported,
    rejected,
    skipped,
    patients: writtenPatients.size,
    audit: recordEvent('record.import', 'C', undefined, undefined, {
      entries: total,
      rows: totalRows,
      patients: writtenPatients.size,
      rejected: rejected.length,
    }),
  };
}

function subjectOf(item: Parsed): FhirReference | undefined {
  const d = item.data as { subject?: FhirReference; patient?: FhirReference };
  return d.subject ?? d.patient;
}

function identifierOfRef(ref: FhirReference | undefined): { system?: string; value: string } | undefined {
  if (!ref) return undefined;
  if (ref.identifier?.value) return ref.identifier.system ? { system: ref.identifier.system, value: ref.identifier.value } : { value: ref.identifier.value };
  const m = /^Patient\?identifier=(?:([^|]*)\|)?(.+)$/.exec(ref.reference ?? '');
  if (!m) return undefined;
  const system = m[1] ? decodeURIComponent(m[1]) : undefined;
  const value = decodeURIComponent(m[2]!);
  return system ? { system, value } : { value };
}

function describeRef(ref: FhirReference | undefined): string {
  if (!ref) return 'aucune référence';
  return (ref.reference ?? (ref.identifier ? `${ref.identifier.system ?? ''}|${ref.identifier.value ?? ''}` : 'référence vide')).slice(0, 120);
}

function keysOf(data: { id?: string; identifier?: { system?: string; value?: string }[]; masterIdentifier?: { system?: string; value?: string } }, item: Parsed) {
  const identifier = data.masterIdentifier?.value ? data.masterIdentifier : data.identifier?.find((i) => i.value);
  const keys: Parameters<typeof rowId>[2] = { fallback: item.fullUrl ?? JSON.stringify(item.data) };
  if (identifier) keys.identifier = identifier;
  if (data.id) keys.id = data.id;
  return keys;
}

/** Keeps what only this workstation knows (recent opening, identity link, local units). */
function mergeLocal(row: PatientRow, existing: PatientRow | undefined, units: { units: Set<string>; current?: string } | undefined): PatientRow {
  const all = new Set([...(existing?.units ?? []), ...(units?.units ?? [])]);
  row.units = [...all];
  const current = units?.current ?? existing?.currentUnit;
  if (current) row.currentUnit = current;
  if (!existing) return row;
  row.createdAt = existing.createdAt;
  if (existing.lastOpenedAt !== undefined) row.lastOpenedAt = existing.lastOpenedAt;
  if (existing.linkedTo) row.linkedTo = existing.linkedTo;
  if (existing.provisionalLabel) row.provisionalLabel = existing.provisionalLabel;
  return row;
}
