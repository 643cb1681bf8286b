import type { PatientRow, RecordRows } from '../types';
import type { FhirBinary, FhirReference } from '../../../../shared/fhir/schemas';
import {
  MappingError,
  mapAllergy,
  mapCondition,
  mapDocumentReference,
  mapEncounter,
  mapMedicationRequest,
  mapObservation,
  mapProcedure,
  rowId,
} from '../../../../shared/fhir/map';
import { describeRef, keysOf, subjectOf, type References } from './references';
import type { IssueLog } from './report';
import type { Parsed } from './validate';

const PREFIX: Record<string, string> = {
  Encounter: 'sej',
  Condition: 'pb',
  Procedure: 'act',
  AllergyIntolerance: 'all',
  MedicationRequest: 'trt',
  Observation: 'obs',
  DocumentReference: 'doc',
};

export interface MapContext {
  refs: References;
  binaries: Map<string, FhirBinary>;
  importedAt: string;
  issues: IssueLog;
  /** Patient row ids written so far (the report counts them). */
  writtenPatients: Set<string>;
}

export function emptyRows(): Required<RecordRows> {
  return {
    patients: [], stays: [], documents: [], documentContents: [], allergies: [], treatments: [],
    problems: [], procedures: [], observations: [], notes: [],
  };
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

/** One entry into its row(s); a MappingError rejects the entry alone. */
function mapEntry(item: Parsed, rows: Required<RecordRows>, ctx: MapContext): void {
  const { refs } = ctx;
  // Binaries are no rows of their own: documents read them through ctx.binaries.
  if (item.type === 'Binary') return;
  if (item.type === 'Patient') {
    const row = refs.patientRowAt.get(item.index)!;
    rows.patients.push(mergeLocal(row, refs.existingByIpp.get(row.ipp), refs.unitsOf.get(row.id)));
    ctx.writtenPatients.add(row.id);
    return;
  }
  const subject = subjectOf(item);
  const patientId = refs.resolvePatient(subject);
  if (!patientId) {
    throw new MappingError(refs.ambiguity(subject) ?? `patient référencé introuvable, ni dans le lot ni dans le dossier local (${describeRef(subject)})`);
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
      rows.procedures.push(mapProcedure(d, id, patientId, refs.resolveStay((item.data as { encounter?: FhirReference }).encounter)));
      break;
    case 'AllergyIntolerance':
      rows.allergies.push(mapAllergy(d, id, patientId, ctx.importedAt));
      break;
    case 'MedicationRequest':
      rows.treatments.push(mapMedicationRequest(d, id, patientId));
      break;
    case 'Observation':
      rows.observations.push(mapObservation(d, id, patientId));
      break;
    case 'DocumentReference': {
      const doc = item.data as { context?: { encounter?: FhirReference[] } };
      const mapped = mapDocumentReference(d, id, patientId, refs.resolveStay(doc.context?.encounter?.[0]), (url) => ctx.binaries.get(url));
      rows.documents.push(mapped.document);
      rows.documentContents.push(mapped.content);
      break;
    }
  }
}

/** Phase 3: the entries [start, end) mapped to rows. */
export function mapChunk(parsed: readonly (Parsed | undefined)[], start: number, end: number, ctx: MapContext): Required<RecordRows> {
  const rows = emptyRows();
  for (let i = start; i < end; i++) {
    const item = parsed[i];
    if (!item) continue;
    try {
      mapEntry(item, rows, ctx);
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
      ctx.issues.reject(i, item.type, e.message);
    }
  }
  return rows;
}
