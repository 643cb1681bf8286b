import { assertStayOf, assertWritablePatient, checkAllergy, checkNote, checkProblem, checkTreatment } from '../../../shared/record/rules';
import { recordEvent } from './audit';
import type { RecordDb } from './database';
import { newId } from './ids';
import type { WriteResult } from './patients';
import type { AllergyRow, NoteRow, PatientRow, ProblemRow, TreatmentRow } from './types';

/** The patient a bedside write goes to: must exist and not be a provisional identity already linked. */
async function writablePatient(db: RecordDb, patientId: string): Promise<PatientRow> {
  return assertWritablePatient(await db.patients.get(patientId));
}

function nowIso(now?: Date): string {
  return (now ?? new Date()).toISOString();
}

export interface AllergyInput {
  substance: string;
  code?: string;
  reaction?: string;
  criticality?: AllergyRow['criticality'];
  recordedBy?: string;
}

export async function addAllergy(db: RecordDb, patientId: string, input: AllergyInput, clock: { now?: Date } = {}): Promise<WriteResult<AllergyRow>> {
  const checked = checkAllergy(input);
  return db.transaction('rw', db.patients, db.allergies, async () => {
    const patient = await writablePatient(db, patientId);
    const row: AllergyRow = { id: newId('all'), patientId, ...checked, status: 'active', recordedAt: nowIso(clock.now) };
    await db.allergies.add(row);
    return { row, audit: recordEvent('record.allergy.create', 'C', patient, { type: 'AllergyIntolerance', id: row.id }) };
  });
}

export interface TreatmentInput {
  medication: string;
  code?: string;
  dosage: string;
  kind?: TreatmentRow['kind'];
  start?: string;
  end?: string;
  prescriber?: string;
}

export async function addTreatment(db: RecordDb, patientId: string, input: TreatmentInput, clock: { now?: Date } = {}): Promise<WriteResult<TreatmentRow>> {
  const checked = checkTreatment(input, clock.now ?? new Date());
  return db.transaction('rw', db.patients, db.treatments, async () => {
    const patient = await writablePatient(db, patientId);
    const row: TreatmentRow = { id: newId('trt'), patientId, ...checked, status: 'active' };
    await db.treatments.add(row);
    return { row, audit: recordEvent('record.treatment.create', 'C', patient, { type: 'MedicationRequest', id: row.id }, { kind: row.kind }) };
  });
}

export interface ProblemInput {
  code: string;
  label: string;
  onset?: string;
}

export async function addProblem(db: RecordDb, patientId: string, input: ProblemInput, clock: { now?: Date } = {}): Promise<WriteResult<ProblemRow>> {
  const checked = checkProblem(input, clock.now ?? new Date());
  return db.transaction('rw', db.patients, db.problems, async () => {
    const patient = await writablePatient(db, patientId);
    const row: ProblemRow = { id: newId('pb'), patientId, ...checked, status: 'active' };
    await db.problems.add(row);
    return { row, audit: recordEvent('record.problem.create', 'C', patient, { type: 'Condition', id: row.id }, { code: row.code }) };
  });
}

export interface NoteInput {
  author: string;
  text: string;
  stayId?: string;
}

export async function addNote(db: RecordDb, patientId: string, input: NoteInput, clock: { now?: Date } = {}): Promise<WriteResult<NoteRow>> {
  const checked = checkNote(input);
  return db.transaction('rw', db.patients, db.notes, db.stays, async () => {
    const patient = await writablePatient(db, patientId);
    if (checked.stayId) assertStayOf(await db.stays.get(checked.stayId), patientId);
    const row: NoteRow = { id: newId('note'), patientId, ...checked, createdAt: nowIso(clock.now) };
    await db.notes.add(row);
    return { row, audit: recordEvent('record.note.create', 'C', patient, { type: 'DocumentReference', id: row.id }) };
  });
}
