import { DEFAULT_IPP_SYSTEM, insSystem } from '../ins/oids';
import type { AllergyRow, NoteRow, PatientRow, ProblemRow, StayRow, StayType, TreatmentRow } from '../record/types';
import { textToBase64 } from '../text/base64';
import { NOTE_TYPE, SYSTEM, uuidIdentifier } from './systems';

/**
 * Rows → FHIR R4 resources, for the workstation's own writes (the outbox pushes them to the hospital
 * server). Each builder writes exactly what src/shared/fhir/map.ts reads back into the same row, so a
 * local write and the copy other workstations pull from the server show the same thing.
 */

export type FhirJson = { resourceType: string; id?: string } & Record<string, unknown>;

/** How a row id becomes a reference: `Patient/<id>` by default; the outbox maps local ids to server ids. */
export interface Refs {
  patient(rowId: string): string;
  encounter(rowId: string): string;
}

export const DIRECT_REFS: Refs = { patient: (id) => `Patient/${id}`, encounter: (id) => `Encounter/${id}` };

/** The client identifier of a created resource (conditional create), when the outbox gives one. */
function identifiers(uuid: string | undefined): { identifier?: unknown[] } {
  return uuid ? { identifier: [uuidIdentifier(uuid)] } : {};
}

function omitUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function patientToFhir(row: PatientRow, opts: { refs?: Refs; uuid?: string; ippSystem?: string } = {}): FhirJson {
  const refs = opts.refs ?? DIRECT_REFS;
  const identifier: unknown[] = [
    { use: 'usual', type: { coding: [{ system: SYSTEM.v2_0203, code: 'PI' }] }, system: opts.ippSystem ?? DEFAULT_IPP_SYSTEM, value: row.ipp },
  ];
  if (row.ins) identifier.push({ use: 'official', system: insSystem(row.ins.oid), value: row.ins.value });
  if (opts.uuid) identifier.push(uuidIdentifier(opts.uuid));
  const extension: unknown[] = [
    { url: SYSTEM.identityReliability, extension: [{ url: 'identityStatus', valueCoding: { system: SYSTEM.identityStatusCodes, code: row.identityStatus } }] },
  ];
  if (row.birthPlaceCode) {
    extension.push({ url: SYSTEM.birthPlace, valueAddress: { extension: [{ url: SYSTEM.inseeCode, valueCoding: { code: row.birthPlaceCode } }] } });
  }
  if (row.provisionalLabel) extension.push({ url: SYSTEM.provisionalLabel, valueString: row.provisionalLabel });
  const name: unknown[] = [{ use: 'official', family: row.birthFamilyName, given: row.birthGivenNames.split(' ') }];
  if (row.usedFamilyName || row.usedGivenName) {
    name.push(omitUndefined({ use: 'usual', family: row.usedFamilyName, given: row.usedGivenName ? [row.usedGivenName] : undefined }));
  }
  return omitUndefined({
    resourceType: 'Patient',
    extension,
    identifier,
    name,
    gender: row.sex === 'M' ? 'male' : row.sex === 'F' ? 'female' : 'unknown',
    birthDate: row.birthDate,
    // A provisional identity linked to the real one: FHIR's "replaced-by", the record to write in from now on.
    link: row.linkedTo ? [{ other: { reference: refs.patient(row.linkedTo) }, type: 'replaced-by' }] : undefined,
  }) as FhirJson;
}

const ENCOUNTER_CLASS: Record<StayType, string> = { urgences: 'EMER', hospitalisation: 'IMP', consultation: 'AMB', ambulatoire: 'SS' };

/** A stay: planned when it starts after `now`, in progress until its end, finished after. */
export function stayToFhir(row: StayRow, opts: { refs?: Refs; uuid?: string; now: Date }): FhirJson {
  const refs = opts.refs ?? DIRECT_REFS;
  const now = opts.now.getTime();
  const status = Date.parse(row.start) > now ? 'planned' : row.end && Date.parse(row.end) <= now ? 'finished' : 'in-progress';
  return omitUndefined({
    resourceType: 'Encounter',
    ...identifiers(opts.uuid),
    status,
    class: { system: SYSTEM.actCode, code: ENCOUNTER_CLASS[row.type] },
    subject: { reference: refs.patient(row.patientId) },
    period: omitUndefined({ start: row.start, end: row.end }),
    reasonCode: row.motive ? [{ text: row.motive }] : undefined,
    serviceProvider: { display: row.unit },
  }) as FhirJson;
}

export function allergyToFhir(row: AllergyRow, opts: { refs?: Refs; uuid?: string } = {}): FhirJson {
  const refs = opts.refs ?? DIRECT_REFS;
  return omitUndefined({
    resourceType: 'AllergyIntolerance',
    ...identifiers(opts.uuid),
    clinicalStatus: { coding: [{ system: SYSTEM.allergyClinical, code: row.status }] },
    criticality: row.criticality,
    code: omitUndefined({ coding: row.code ? [{ code: row.code }] : undefined, text: row.substance }),
    patient: { reference: refs.patient(row.patientId) },
    recordedDate: row.recordedAt,
    recorder: row.recordedBy ? { display: row.recordedBy } : undefined,
    reaction: row.reaction ? [{ manifestation: [{ text: row.reaction }] }] : undefined,
  }) as FhirJson;
}

export function treatmentToFhir(row: TreatmentRow, opts: { refs?: Refs; uuid?: string } = {}): FhirJson {
  const refs = opts.refs ?? DIRECT_REFS;
  const period = omitUndefined({ start: row.start, end: row.end });
  return omitUndefined({
    resourceType: 'MedicationRequest',
    ...identifiers(opts.uuid),
    status: row.status,
    intent: 'order',
    category: [{ coding: [{ system: SYSTEM.medicationRequestCategory, code: row.kind === 'discharge' ? 'discharge' : 'inpatient' }] }],
    medicationCodeableConcept: omitUndefined({ coding: row.code ? [{ system: SYSTEM.atc, code: row.code }] : undefined, text: row.medication }),
    subject: { reference: refs.patient(row.patientId) },
    requester: row.prescriber ? { display: row.prescriber } : undefined,
    dosageInstruction: [{ text: row.dosage }],
    dispenseRequest: Object.keys(period).length > 0 ? { validityPeriod: period } : undefined,
  }) as FhirJson;
}

export function problemToFhir(row: ProblemRow, opts: { refs?: Refs; uuid?: string } = {}): FhirJson {
  const refs = opts.refs ?? DIRECT_REFS;
  return omitUndefined({
    resourceType: 'Condition',
    ...identifiers(opts.uuid),
    clinicalStatus: { coding: [{ system: SYSTEM.conditionClinical, code: row.status }] },
    code: { coding: [{ system: SYSTEM.cim10, code: row.code, display: row.label }], text: row.label },
    subject: { reference: refs.patient(row.patientId) },
    onsetDateTime: row.onset,
  }) as FhirJson;
}

export function noteToFhir(row: NoteRow, opts: { refs?: Refs; uuid?: string } = {}): FhirJson {
  const refs = opts.refs ?? DIRECT_REFS;
  return omitUndefined({
    resourceType: 'DocumentReference',
    ...identifiers(opts.uuid),
    status: 'current',
    docStatus: 'final',
    type: { coding: [{ ...NOTE_TYPE }] },
    subject: { reference: refs.patient(row.patientId) },
    date: row.createdAt,
    author: [{ display: row.author }],
    content: [{ attachment: { contentType: 'text/plain', data: textToBase64(row.text) } }],
    context: row.stayId ? { encounter: [{ reference: refs.encounter(row.stayId) }] } : undefined,
  }) as FhirJson;
}
