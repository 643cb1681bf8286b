import { isIdentityStatus, type IdentityStatus } from '../ins/identity-status';
import { validateNir } from '../ins/nir';
import { DEFAULT_IPP_SYSTEM, insOidFromSystem } from '../ins/oids';
import { base64ToBytes } from '../text/base64';
import { searchTokens } from '../text/normalise';
import { stableHash } from './stable-hash';
import { NOTE_TYPE, SYSTEM } from './systems';
import type {
  AllergyRow,
  DocumentContentRow,
  DocumentRow,
  NoteRow,
  ObservationRow,
  PatientRow,
  ProblemRow,
  ProcedureRow,
  StayRow,
  StayType,
  TreatmentRow,
} from '../record/types';
import type {
  FhirAllergy,
  FhirBinary,
  FhirDocumentReference,
  FhirEncounter,
  FhirIdentifier,
  FhirMedicationRequest,
  FhirObservation,
  FhirPatient,
  FhirProcedure,
  FhirCondition,
} from './schemas';

/** A mapping failure with its French reason; the entry is reported, the rest imported. */
export class MappingError extends Error {}

const LOINC = 'http://loinc.org';
const CIM10_SYSTEMS = ['http://hl7.org/fhir/sid/icd-10', 'https://smt.esante.gouv.fr/terminologie-cim-10'];

const LOINC_LABELS: Record<string, string> = {
  '11490-0': 'Lettre de liaison à la sortie',
  '18761-7': "Lettre de liaison à l'entrée",
  '34874-8': 'Compte rendu opératoire',
  '15507-7': 'CR de passage aux urgences',
  '18748-4': "Compte rendu d'imagerie",
  '11502-2': 'Compte rendu de biologie',
};

type Codeable = { coding?: { system?: string; code?: string; display?: string }[]; text?: string } | undefined;

function firstCoding(c: Codeable, preferred?: readonly string[]) {
  const codings = c?.coding ?? [];
  return (preferred && codings.find((x) => x.system && preferred.some((p) => x.system!.startsWith(p)))) ?? codings[0];
}

function label(c: Codeable, preferred?: readonly string[]): string | undefined {
  return c?.text ?? firstCoding(c, preferred)?.display;
}

// --- patients ---------------------------------------------------------------------------

export function isIpp(id: FhirIdentifier, ippSystem: string): boolean {
  return id.system === ippSystem || id.system === DEFAULT_IPP_SYSTEM || !!id.type?.coding?.some((c) => c.code === 'PI');
}

export function ippOf(p: FhirPatient, ippSystem: string): string | undefined {
  return p.identifier?.find((i) => isIpp(i, ippSystem) && i.value)?.value;
}

export function insOf(p: FhirPatient): { value: string; oid: NonNullable<PatientRow['ins']>['oid'] } | undefined {
  for (const i of p.identifier ?? []) {
    const oid = insOidFromSystem(i.system);
    if (oid && i.value) {
      const check = validateNir(i.value);
      if (!check.ok) throw new MappingError(`INS ${oid} refusée : ${check.error}`);
      return { value: check.nir, oid };
    }
  }
  return undefined;
}

function identityStatusOf(p: FhirPatient): IdentityStatus | undefined {
  for (const ext of p.extension ?? []) {
    if (!/identity-?reliability/i.test(ext.url)) continue;
    const codes = [ext.valueCoding?.code, ext.valueCode, ...(ext.extension ?? []).map((e) => e.valueCoding?.code ?? e.valueCode)];
    const found = codes.find(isIdentityStatus);
    if (found) return found;
  }
  return undefined;
}

function birthPlaceOf(p: FhirPatient): string | undefined {
  for (const ext of p.extension ?? []) {
    if (!ext.url.endsWith('patient-birthPlace')) continue;
    for (const sub of ext.valueAddress?.extension ?? []) {
      const code = sub.valueCoding?.code ?? sub.valueCode ?? sub.valueString;
      if (/insee/i.test(sub.url) && code && /^(\d{5}|2[AB]\d{3})$/.test(code.toUpperCase())) return code.toUpperCase();
    }
  }
  return undefined;
}

/** Patient → row. Local-only fields (lastOpenedAt, linkedTo) are merged by the writer. */
export function mapPatient(p: FhirPatient, id: string, ipp: string, now: number): PatientRow {
  const official = p.name?.find((n) => n.use === 'official') ?? p.name?.find((n) => n.use !== 'usual') ?? p.name?.[0];
  const usual = p.name?.find((n) => n.use === 'usual' && n !== official);
  const birthFamilyName = official?.family?.trim();
  const birthGivenNames = official?.given?.join(' ').trim();
  if (!birthFamilyName) throw new MappingError('nom de naissance absent (name.family du nom officiel)');
  if (!birthGivenNames) throw new MappingError('prénom(s) de naissance absent(s) (name.given du nom officiel)');
  const ins = insOf(p);
  const declared = identityStatusOf(p);
  // Without the reliability extension nothing proves the identity was checked: provisional.
  let identityStatus: IdentityStatus = declared ?? 'PROV';
  if ((identityStatus === 'QUAL' || identityStatus === 'RECUP') && !ins) {
    throw new MappingError(`identité déclarée ${identityStatus} sans INS : incohérent`);
  }
  const sex = p.gender === 'male' ? 'M' : p.gender === 'female' ? 'F' : 'U';
  if (identityStatus !== 'PROV' && (sex === 'U' || !p.birthDate)) identityStatus = 'PROV';
  const names = {
    birthFamilyName,
    birthGivenNames,
    usedFamilyName: usual?.family?.trim() || undefined,
    usedGivenName: usual?.given?.[0]?.trim() || undefined,
  };
  const row: PatientRow = {
    id,
    ipp,
    birthFamilyName,
    birthGivenNames,
    sex,
    identityStatus,
    tokens: searchTokens(names),
    units: [],
    createdAt: now,
    updatedAt: now,
  };
  if (names.usedFamilyName) row.usedFamilyName = names.usedFamilyName;
  if (names.usedGivenName) row.usedGivenName = names.usedGivenName;
  if (p.birthDate) row.birthDate = p.birthDate;
  const place = birthPlaceOf(p);
  if (place) row.birthPlaceCode = place;
  if (ins) {
    row.ins = ins;
    row.insNir = ins.value;
  }
  const label = p.extension?.find((e) => e.url === SYSTEM.provisionalLabel)?.valueString;
  if (label) row.provisionalLabel = label;
  // A provisional identity linked to the real one points at it as "replaced-by".
  const replacedBy = p.link?.find((l) => l.type === 'replaced-by')?.other.reference;
  if (replacedBy?.startsWith('Patient/')) row.linkedTo = replacedBy.slice('Patient/'.length);
  return row;
}

// --- clinical resources ---------------------------------------------------------------

/** Deterministic row id from the resource's business identifier (idempotent re-import). */
export function rowId(prefix: string, resourceType: string, keys: { identifier?: FhirIdentifier; id?: string; fallback: string }, patientId: string): string {
  const ident = keys.identifier;
  if (ident?.value) return `${prefix}-${stableHash(`${resourceType}|${ident.system ?? ''}|${ident.value}`)}`;
  if (keys.id) return `${prefix}-${stableHash(`${resourceType}|${patientId}|${keys.id}`)}`;
  return `${prefix}-${stableHash(`${resourceType}|${patientId}|${keys.fallback}`)}`;
}

const STAY_TYPES: Record<string, StayType> = {
  EMER: 'urgences',
  IMP: 'hospitalisation',
  ACUTE: 'hospitalisation',
  NONAC: 'hospitalisation',
  SS: 'ambulatoire',
  AMB: 'consultation',
  VR: 'consultation',
  HH: 'consultation',
};

export function mapEncounter(e: FhirEncounter, id: string, patientId: string): StayRow {
  const start = e.period?.start;
  if (!start) throw new MappingError('date de début du séjour absente (period.start)');
  const unit = e.serviceProvider?.display ?? e.location?.[0]?.location.display ?? label(e.serviceType) ?? 'Unité non précisée';
  const row: StayRow = { id, patientId, unit, start, type: STAY_TYPES[e.class?.code ?? ''] ?? 'hospitalisation' };
  if (e.period?.end) {
    if (e.period.end < start) throw new MappingError('fin du séjour antérieure à son début');
    row.end = e.period.end;
  }
  const motive = label(e.reasonCode?.[0]);
  if (motive) row.motive = motive;
  return row;
}

export function mapCondition(c: FhirCondition, id: string, patientId: string): ProblemRow {
  const coding = firstCoding(c.code, CIM10_SYSTEMS);
  if (!coding?.code) throw new MappingError('code du diagnostic absent (code.coding)');
  const text = label(c.code, CIM10_SYSTEMS) ?? coding.code;
  const status = c.clinicalStatus?.coding?.[0]?.code;
  const row: ProblemRow = { id, patientId, code: coding.code, label: text, status: status && status !== 'active' && status !== 'recurrence' && status !== 'relapse' ? 'resolved' : 'active' };
  const onset = c.onsetDateTime ?? c.recordedDate;
  if (onset) row.onset = onset;
  return row;
}

export function mapProcedure(p: FhirProcedure, id: string, patientId: string, stayId: string | undefined): ProcedureRow {
  const coding = firstCoding(p.code);
  if (!coding?.code) throw new MappingError("code de l'acte absent (code.coding)");
  const date = p.performedDateTime ?? p.performedPeriod?.start;
  if (!date) throw new MappingError("date de l'acte absente (performedDateTime)");
  const row: ProcedureRow = { id, patientId, code: coding.code, label: label(p.code) ?? coding.code, date };
  if (stayId) row.stayId = stayId;
  const performer = p.performer?.[0]?.actor.display;
  if (performer) row.performer = performer;
  return row;
}

export function mapAllergy(a: FhirAllergy, id: string, patientId: string, importedAt: string): AllergyRow {
  const substance = label(a.code);
  if (!substance) throw new MappingError("allergène non nommé (code.text ou code.coding.display)");
  const status = a.clinicalStatus?.coding?.[0]?.code;
  const row: AllergyRow = { id, patientId, substance, status: status && status !== 'active' ? 'inactive' : 'active', recordedAt: a.recordedDate ?? a.onsetDateTime ?? importedAt };
  const code = firstCoding(a.code)?.code;
  if (code) row.code = code;
  if (a.criticality) row.criticality = a.criticality;
  const reaction = label(a.reaction?.[0]?.manifestation[0]);
  if (reaction) row.reaction = reaction;
  if (a.recorder?.display) row.recordedBy = a.recorder.display;
  return row;
}

export function mapMedicationRequest(m: FhirMedicationRequest, id: string, patientId: string): TreatmentRow {
  const medication = label(m.medicationCodeableConcept);
  if (!medication) throw new MappingError('médicament non nommé (medicationCodeableConcept)');
  const discharge = m.category?.some((c) => c.coding?.some((x) => x.code === 'discharge'));
  const row: TreatmentRow = {
    id,
    patientId,
    medication,
    dosage: m.dosageInstruction?.map((d) => d.text).filter(Boolean).join(' ; ') || 'Posologie non précisée',
    kind: discharge ? 'discharge' : 'current',
    status: m.status === 'active' || m.status === 'on-hold' || m.status === 'draft' ? 'active' : 'stopped',
  };
  const code = firstCoding(m.medicationCodeableConcept)?.code;
  if (code) row.code = code;
  const start = m.dispenseRequest?.validityPeriod?.start ?? m.authoredOn;
  if (start) row.start = start;
  const end = m.dispenseRequest?.validityPeriod?.end;
  if (end) row.end = end;
  if (m.requester?.display) row.prescriber = m.requester.display;
  return row;
}

export function mapObservation(o: FhirObservation, id: string, patientId: string): ObservationRow {
  const coding = firstCoding(o.code, [LOINC]);
  if (!coding?.code) throw new MappingError("code de l'analyse absent (code.coding LOINC)");
  const date = o.effectiveDateTime ?? o.effectivePeriod?.start ?? o.issued;
  if (!date) throw new MappingError('date du résultat absente (effectiveDateTime)');
  const value = o.valueQuantity?.value ?? o.valueString;
  if (value === undefined) throw new MappingError('valeur du résultat absente (valueQuantity ou valueString)');
  const row: ObservationRow = { id, patientId, code: coding.code, label: label(o.code, [LOINC]) ?? coding.code, value, date };
  if (o.valueQuantity?.unit) row.unit = o.valueQuantity.unit;
  const range = o.referenceRange?.[0];
  if (range?.low?.value !== undefined) row.low = range.low.value;
  if (range?.high?.value !== undefined) row.high = range.high.value;
  return row;
}

const XML_TYPES = ['application/hl7-cda+xml', 'application/xml', 'text/xml', 'application/cda+xml'];

/** Decodes and checks an attachment: CDA must look like XML, a PDF must start with %PDF. */
export function decodeContent(contentType: string | undefined, data: string): { kind: DocumentContentRow['kind']; mimeType: string; data: string | Uint8Array; size: number } {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const bytes = base64ToBytes(data);
  if (!bytes) throw new MappingError('pièce jointe illisible : base64 invalide');
  if (mime === 'application/pdf') {
    const head = String.fromCharCode(...bytes.subarray(0, 5));
    if (head !== '%PDF-') throw new MappingError("pièce jointe déclarée PDF mais sans en-tête « %PDF- »");
    return { kind: 'pdf', mimeType: mime, data: bytes, size: bytes.length };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new MappingError('pièce jointe texte non encodée en UTF-8');
  }
  if (XML_TYPES.includes(mime)) {
    if (!/^\uFEFF?\s*</.test(text) || !/<ClinicalDocument[\s>/]/.test(text)) {
      throw new MappingError('pièce jointe déclarée CDA mais sans élément ClinicalDocument');
    }
    return { kind: 'cda', mimeType: mime, data: text, size: bytes.length };
  }
  if (mime === 'text/plain') return { kind: 'text', mimeType: mime, data: text, size: bytes.length };
  throw new MappingError(`type de contenu non pris en charge : ${mime || 'absent'} (PDF, CDA XML ou texte attendu)`);
}

export function mapDocumentReference(
  d: FhirDocumentReference,
  id: string,
  patientId: string,
  stayId: string | undefined,
  binary: (url: string) => FhirBinary | undefined,
): { document: DocumentRow; content: DocumentContentRow } {
  const attachment = d.content[0]!.attachment;
  let data = attachment.data;
  let contentType = attachment.contentType;
  if (data === undefined && attachment.url) {
    const b = binary(attachment.url);
    if (!b?.data) throw new MappingError(`contenu du document introuvable dans le lot (${attachment.url.slice(0, 80)})`);
    data = b.data;
    contentType = contentType ?? b.contentType;
  }
  if (data === undefined) throw new MappingError('pièce jointe sans contenu (attachment.data ou url vers un Binary du lot)');
  const decoded = decodeContent(contentType, data);
  const type = firstCoding(d.type, [LOINC]);
  const date = d.date ?? attachment.creation ?? d.context?.period?.start;
  if (!date) throw new MappingError('date du document absente (date)');
  const typeCode = type?.code ?? 'inconnu';
  const document: DocumentRow = {
    id,
    patientId,
    typeCode,
    typeLabel: LOINC_LABELS[typeCode] ?? type?.display ?? 'Document',
    title: attachment.title ?? d.description ?? LOINC_LABELS[typeCode] ?? type?.display ?? 'Document',
    date,
    status: d.docStatus === 'preliminary' ? 'draft' : d.authenticator ? 'validated' : 'final',
    contentKind: decoded.kind,
    mimeType: decoded.mimeType,
    size: decoded.size,
  };
  if (stayId) document.stayId = stayId;
  const author = d.author?.find((a) => a.display)?.display;
  if (author) document.author = author;
  return { document, content: { id, patientId, kind: decoded.kind, data: decoded.data } };
}

/** A bedside note (see NOTE_TYPE): a progress note whose content is plain text; other documents stay documents. */
export function isNoteDocument(d: FhirDocumentReference): boolean {
  const typed = d.type?.coding?.some((c) => c.system === NOTE_TYPE.system && c.code === NOTE_TYPE.code) ?? false;
  const mime = (d.content[0]?.attachment.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  return typed && mime === 'text/plain' && d.content[0]?.attachment.data !== undefined;
}

export function mapNote(d: FhirDocumentReference, id: string, patientId: string, stayId: string | undefined): NoteRow {
  const decoded = decodeContent(d.content[0]!.attachment.contentType, d.content[0]!.attachment.data ?? '');
  if (typeof decoded.data !== 'string') throw new MappingError('note sans texte');
  if (!d.date) throw new MappingError('date de la note absente (date)');
  const row: NoteRow = { id, patientId, author: d.author?.find((a) => a.display)?.display ?? 'Auteur non précisé', text: decoded.data, createdAt: d.date };
  if (stayId) row.stayId = stayId;
  return row;
}
