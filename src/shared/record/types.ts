import type { IdentityStatus } from '../ins/identity-status';
import type { InsOid } from '../ins/oids';

/** INS sex trait; U only for an unidentified emergency patient. */
export type Sex = 'M' | 'F' | 'U';

export interface PatientRow {
  id: string;
  /** Hospital patient number, unique. */
  ipp: string;
  ins?: { value: string; oid: InsOid };
  /** Indexed copy of ins.value (15 chars incl. key). */
  insNir?: string;
  // The 5 strict traits (with ins.value): birth family name, birth given names, birth date, sex, birthplace.
  birthFamilyName: string;
  /** All birth given names, space separated, in civil-status order. */
  birthGivenNames: string;
  /** yyyy-mm-dd; absent only for an unidentified emergency patient. */
  birthDate?: string;
  sex: Sex;
  /** INSEE code of the birthplace (commune, or 99xxx country for born abroad). */
  birthPlaceCode?: string;
  usedFamilyName?: string;
  usedGivenName?: string;
  identityStatus: IdentityStatus;
  /** Multi-entry search index: folded whole name tokens (see shared/text). */
  tokens: string[];
  /** Epoch ms of the last chart opening on this workstation ("recent" list). */
  lastOpenedAt?: number;
  units: string[];
  currentUnit?: string;
  /** Set on a provisional identity once linked to the real one. */
  linkedTo?: string;
  /** "Inconnu urgences 23/11 14:05" for an unidentified emergency patient. */
  provisionalLabel?: string;
  createdAt: number;
  updatedAt: number;
}

export type StayType = 'hospitalisation' | 'urgences' | 'consultation' | 'ambulatoire';

export interface StayRow {
  id: string;
  patientId: string;
  unit: string;
  /** ISO 8601 date-time. */
  start: string;
  end?: string;
  type: StayType;
  motive?: string;
}

export type DocumentStatus = 'draft' | 'final' | 'validated';
export type DocumentContentKind = 'cda' | 'pdf' | 'text';

/** Document metadata only: the content lives in documentContents so lists stay light. */
export interface DocumentRow {
  id: string;
  patientId: string;
  stayId?: string;
  /** LOINC type code (DOMAIN.md §5), e.g. 34874-8 CR opératoire. */
  typeCode: string;
  typeLabel: string;
  title: string;
  author?: string;
  /** Clinical date (ISO 8601). */
  date: string;
  status: DocumentStatus;
  contentKind: DocumentContentKind;
  mimeType: string;
  /** Content size in bytes (0 when no content). */
  size: number;
}

export interface DocumentContentRow {
  /** Same id as the document. */
  id: string;
  patientId: string;
  kind: DocumentContentKind;
  /** CDA XML or plain text as a string; PDF as bytes. */
  data: string | Uint8Array;
}

export interface AllergyRow {
  id: string;
  patientId: string;
  substance: string;
  code?: string;
  reaction?: string;
  criticality?: 'low' | 'high' | 'unable-to-assess';
  status: 'active' | 'inactive';
  recordedAt: string;
  recordedBy?: string;
}

export interface TreatmentRow {
  id: string;
  patientId: string;
  medication: string;
  code?: string;
  dosage: string;
  /** Current prescription or discharge prescription. */
  kind: 'current' | 'discharge';
  status: 'active' | 'stopped';
  start?: string;
  end?: string;
  prescriber?: string;
}

export interface ProblemRow {
  id: string;
  patientId: string;
  /** CIM-10 code, e.g. I21.0. */
  code: string;
  label: string;
  onset?: string;
  status: 'active' | 'resolved';
}

export interface ProcedureRow {
  id: string;
  patientId: string;
  stayId?: string;
  /** CCAM code, e.g. HMFC004. */
  code: string;
  label: string;
  date: string;
  performer?: string;
}

export interface ObservationRow {
  id: string;
  patientId: string;
  /** LOINC code. */
  code: string;
  label: string;
  value: number | string;
  unit?: string;
  low?: number;
  high?: number;
  /** ISO 8601 date-time; part of [patientId+code+date] for trend charts. */
  date: string;
}

export interface NoteRow {
  id: string;
  patientId: string;
  stayId?: string;
  author: string;
  text: string;
  createdAt: string;
}

export interface IdentityLinkRow {
  id: string;
  provisionalId: string;
  realId: string;
  linkedBy: string;
  linkedAt: string;
}

export interface OutboxRow {
  id: string;
  patientId: string;
  documentId: string;
  status: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError?: string;
  createdAt: number;
  updatedAt?: number;
}

/** Pre-mapped rows for the bulk write path (seed, importer chunks). */
export interface RecordRows {
  patients?: PatientRow[];
  stays?: StayRow[];
  documents?: DocumentRow[];
  documentContents?: DocumentContentRow[];
  allergies?: AllergyRow[];
  treatments?: TreatmentRow[];
  problems?: ProblemRow[];
  procedures?: ProcedureRow[];
  observations?: ObservationRow[];
  notes?: NoteRow[];
}

export const ROW_TABLES = [
  'patients',
  'stays',
  'documents',
  'documentContents',
  'allergies',
  'treatments',
  'problems',
  'procedures',
  'observations',
  'notes',
] as const satisfies readonly (keyof RecordRows)[];
