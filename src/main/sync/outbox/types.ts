import type { AllergyRow, NoteRow, PatientRow, ProblemRow, StayRow, TreatmentRow } from '../../../shared/record/types';

/** The tables a local write creates rows in, and the FHIR resource type each row is pushed as. */
export const RESOURCE_OF = {
  patients: 'Patient',
  stays: 'Encounter',
  allergies: 'AllergyIntolerance',
  treatments: 'MedicationRequest',
  problems: 'Condition',
  notes: 'DocumentReference',
} as const;
export type WriteTable = keyof typeof RESOURCE_OF;

export type WriteRow<T extends WriteTable> = {
  patients: PatientRow;
  stays: StayRow;
  allergies: AllergyRow;
  treatments: TreatmentRow;
  problems: ProblemRow;
  notes: NoteRow;
}[T];

/** A row created at the workstation: its id is a fresh UUID, sent as `urn:uuid:` identifier for a conditional create. */
export type CreateOp = { [T in WriteTable]: { op: 'create'; table: T; row: WriteRow<T> } }[WriteTable];

/**
 * A change to a resource the server already holds (today: a patient's identity link). `baseVersion` is the server
 * version the user saw (If-Match); absent when the resource was itself created here and not yet pushed.
 */
export interface UpdateOp {
  op: 'update';
  table: 'patients';
  row: PatientRow;
  baseVersion?: string;
}

export type OutboxOp = CreateOp | UpdateOp;

export type OutboxState = 'pending' | 'sending' | 'sent' | 'failed' | 'conflict';

/** The two versions of a 412: what this workstation wanted, and what the server holds now. */
export interface OutboxConflict {
  mine: PatientRow;
  theirs: { row: PatientRow | null; versionId: string; resource: Record<string, unknown> };
}

export interface OutboxItem {
  /** UUID of the item; file name is `<seq>-<id>.json`. */
  id: string;
  /** Order of enqueue: pushes leave in this order per patient. */
  seq: number;
  createdAt: string;
  /** What the user did, in French, for the panel ("Note clinique", "Allergie : Pénicilline"). */
  label: string;
  /** Row ids of the patients concerned: an item waits for earlier items of the same patient. */
  patientIds: string[];
  ops: OutboxOp[];
  state: OutboxState;
  attempts: number;
  /** When a transient failure is retried (ISO). */
  retryAt?: string;
  /** The last failure, in French. */
  lastError?: string;
  conflict?: OutboxConflict;
  sentAt?: string;
  /** Local row id → server id, once sent. */
  serverIds?: Record<string, string>;
}

/** Local id (a UUID given at the workstation) → the server's logical id and version, learned from a push answer. */
export interface ServerId {
  type: string;
  id: string;
  version?: string;
}
