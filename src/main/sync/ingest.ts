import { isNoteDocument, mapAllergy, mapCondition, mapDocumentReference, mapEncounter, mapMedicationRequest, mapNote, mapObservation, mapPatient, mapProcedure, ippOf, MappingError } from '../../shared/fhir/map';
import { SCHEMAS, frenchIssue, type FhirEncounter, type FhirPatient } from '../../shared/fhir/schemas';
import { DEFAULT_IPP_SYSTEM } from '../../shared/ins/oids';
import type { RecordRows } from '../../shared/record/types';
import type { CareDelta, CareEncounter, CareIndexPort } from './care-port';
import type { BatchMeta, RowTable } from './replica/store';

/** Clinical resource types replicated for patients in care (Patient and Encounter come hospital-wide). */
export const CONTENT_TYPES = ['Encounter', 'Condition', 'AllergyIntolerance', 'MedicationRequest', 'Procedure', 'Observation', 'DocumentReference'] as const;
export const IDENTITY_TYPES = ['Patient', 'Encounter'] as const;

const ENCOUNTER_STATUSES = new Set<CareEncounter['status']>(['planned', 'arrived', 'triaged', 'in-progress', 'onleave', 'finished', 'cancelled', 'entered-in-error', 'unknown']);

export function idOfRef(ref: { reference?: string } | undefined, type: string): string | undefined {
  const r = ref?.reference;
  return r?.startsWith(`${type}/`) ? r.slice(type.length + 1).split('/')[0] : undefined;
}

export function careEncounterOf(e: FhirEncounter & { id: string }, patientId: string): CareEncounter {
  const unit = e.serviceProvider?.display ?? e.location?.[0]?.location.display ?? e.serviceType?.text ?? 'Unité non précisée';
  const status = ENCOUNTER_STATUSES.has(e.status as CareEncounter['status']) ? (e.status as CareEncounter['status']) : 'unknown';
  return { id: e.id, patientId, unit, status, ...(e.period?.start ? { start: e.period.start } : {}), ...(e.period?.end ? { end: e.period.end } : {}) };
}

/**
 * Rows, care facts and versions gathered for one change-log batch. Resources are validated with the shared
 * schemas and mapped with the shared mapping; one that fails is reported (French reason) and left out.
 */
export function createBatch(opts: { care: CareIndexPort; now: () => number; onReject: (type: string, id: string, reason: string) => void }) {
  let rows: RecordRows = {};
  let care: CareDelta = {};
  let versions: Record<string, string | null> = {};
  let deletes: Partial<Record<RowTable, string[]>> = {};
  let size = 0;

  const push = <T extends RowTable>(table: T, row: NonNullable<RecordRows[T]>[number]) => {
    ((rows[table] ??= []) as unknown[]).push(row);
    size++;
  };

  function identityRow(p: FhirPatient & { id: string }) {
    const ipp = ippOf(p, DEFAULT_IPP_SYSTEM);
    if (!ipp) throw new MappingError('IPP absent (identifier de type PI)');
    const row = mapPatient(p, p.id, ipp, opts.now());
    const stays = opts.care.encountersOf(p.id);
    row.units = [...new Set(stays.map((s) => s.unit))];
    const current = stays.find((s) => s.status === 'in-progress' || s.status === 'arrived' || s.status === 'onleave');
    if (current) row.currentUnit = current.unit;
    return row;
  }

  /** Adds a resource; `content`: whether the clinical rows of this resource's patient are replicated. */
  function add(resource: Record<string, unknown>, content: (patientId: string) => boolean): string | undefined {
    const type = String(resource.resourceType);
    const schema = SCHEMAS[type as keyof typeof SCHEMAS];
    const id = typeof resource.id === 'string' ? resource.id : '';
    if (!schema || !id) return undefined;
    const parsed = schema.safeParse(resource);
    if (!parsed.success) return void opts.onReject(type, id, frenchIssue(parsed.error));
    const version = (resource.meta as { versionId?: string } | undefined)?.versionId;
    if (version) versions[`${type}/${id}`] = version;
    try {
      return addParsed(type, { ...(parsed.data as object), id } as never, content);
    } catch (e) {
      if (!(e instanceof MappingError)) throw e;
      opts.onReject(type, id, e.message);
      return undefined;
    }
  }

  function addParsed(type: string, d: { id: string; subject?: { reference?: string }; patient?: { reference?: string }; encounter?: { reference?: string }; context?: { encounter?: { reference?: string }[] } }, content: (patientId: string) => boolean): string | undefined {
    if (type === 'Patient') {
      const row = identityRow(d as never);
      push('patients', row);
      const identity = { id: d.id, ipp: row.ipp, ...(row.ins && row.identityStatus === 'QUAL' ? { ins: `${row.ins.value}@${row.ins.oid}` } : {}) };
      opts.care.putPatient(identity);
      (care.patients ??= []).push(identity);
      return d.id;
    }
    const patientId = idOfRef(type === 'AllergyIntolerance' ? d.patient : d.subject, 'Patient');
    if (!patientId) throw new MappingError('patient référencé absent (subject Patient/<id>)');
    if (type === 'Encounter') {
      const enc = careEncounterOf(d as never, patientId);
      opts.care.putEncounter(enc);
      (care.encounters ??= []).push(enc);
    }
    if (!content(patientId)) return patientId;
    const stayId = idOfRef(d.encounter ?? d.context?.encounter?.[0], 'Encounter');
    switch (type) {
      case 'Encounter': push('stays', mapEncounter(d as never, d.id, patientId)); break;
      case 'Condition': push('problems', mapCondition(d as never, d.id, patientId)); break;
      case 'AllergyIntolerance': push('allergies', mapAllergy(d as never, d.id, patientId, new Date(opts.now()).toISOString())); break;
      case 'MedicationRequest': push('treatments', mapMedicationRequest(d as never, d.id, patientId)); break;
      case 'Procedure': push('procedures', mapProcedure(d as never, d.id, patientId, stayId)); break;
      case 'Observation': push('observations', mapObservation(d as never, d.id, patientId)); break;
      case 'DocumentReference': {
        // A bedside note written at a workstation travels as a text/plain progress note: it comes back a note.
        if (isNoteDocument(d as never)) {
          push('notes', mapNote(d as never, d.id, patientId, stayId));
          break;
        }
        const mapped = mapDocumentReference(d as never, d.id, patientId, stayId, () => undefined);
        push('documents', mapped.document);
        push('documentContents', mapped.content);
        break;
      }
    }
    return patientId;
  }

  return {
    add,
    putRow: push,
    /** Row deletions (a patient leaving care, an on-demand access ending) and the versions they forget. */
    remove(table: RowTable, ids: string[], resourceType?: string) {
      if (!ids.length) return;
      (deletes[table] ??= []).push(...ids);
      size += ids.length;
      if (resourceType) for (const id of ids) versions[`${resourceType}/${id}`] = null;
    },
    size: () => size,
    take(extra: Omit<BatchMeta, 'versions' | 'care'> = {}): { batch: { upserts: RecordRows; deletes?: Partial<Record<RowTable, string[]>> }; meta: BatchMeta } {
      const meta: BatchMeta = { ...extra };
      if (Object.keys(versions).length) meta.versions = versions;
      if (Object.keys(care).length) meta.care = care;
      const batch = { upserts: rows, ...(Object.keys(deletes).length ? { deletes } : {}) };
      rows = {};
      care = {};
      versions = {};
      deletes = {};
      size = 0;
      return { batch, meta };
    },
  };
}

export type BatchBuilder = ReturnType<typeof createBatch>;
