import { parisDay } from '../../../shared/time';
import { recordEvent } from './audit';
import type { RecordDb } from './database';
import { newId } from './ids';
import type { WriteResult } from './patients';
import type { AllergyRow, NoteRow, PatientRow, ProblemRow, TreatmentRow } from './types';
import { Checker, RecordStateError } from './validation';

/** The patient a bedside write goes to: must exist and not be a provisional identity already linked. */
async function writablePatient(db: RecordDb, patientId: string): Promise<PatientRow> {
  const patient = await db.patients.get(patientId);
  if (!patient) throw new RecordStateError('Patient introuvable dans le dossier local.');
  if (patient.linkedTo) {
    throw new RecordStateError("Cette identité provisoire a été rattachée à l'identité définitive : saisissez dans le dossier définitif.");
  }
  return patient;
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
  const c = new Checker();
  const raw = (input ?? {}) as unknown as Record<string, unknown>;
  const substance = c.text('substance', 'Allergène', raw.substance, { required: true, max: 200 });
  const code = c.text('code', "Code de l'allergène", raw.code, { max: 40 });
  const reaction = c.text('reaction', 'Réaction', raw.reaction, { max: 500 });
  const criticality = c.oneOf('criticality', 'Gravité', raw.criticality, ['low', 'high', 'unable-to-assess'] as const, false);
  const recordedBy = c.text('recordedBy', 'Saisi par', raw.recordedBy, { max: 100 });
  c.throwIfAny();
  return db.transaction('rw', db.patients, db.allergies, async () => {
    const patient = await writablePatient(db, patientId);
    const row: AllergyRow = { id: newId('all'), patientId, substance: substance!, status: 'active', recordedAt: nowIso(clock.now) };
    if (code) row.code = code;
    if (reaction) row.reaction = reaction;
    if (criticality) row.criticality = criticality;
    if (recordedBy) row.recordedBy = recordedBy;
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
  const c = new Checker();
  const raw = (input ?? {}) as unknown as Record<string, unknown>;
  const medication = c.text('medication', 'Médicament', raw.medication, { required: true, max: 200 });
  const code = c.text('code', 'Code du médicament', raw.code, { max: 40 });
  const dosage = c.text('dosage', 'Posologie', raw.dosage, { required: true, max: 500 });
  const kind = c.oneOf('kind', 'Type de prescription', raw.kind ?? 'current', ['current', 'discharge'] as const);
  const start = c.date('start', 'Début', raw.start ?? parisDay(clock.now ?? new Date()));
  const end = c.date('end', 'Fin', raw.end);
  if (start && end && end < start) c.fail('end', 'Fin : la date de fin précède la date de début.');
  const prescriber = c.text('prescriber', 'Prescripteur', raw.prescriber, { max: 100 });
  c.throwIfAny();
  return db.transaction('rw', db.patients, db.treatments, async () => {
    const patient = await writablePatient(db, patientId);
    const row: TreatmentRow = { id: newId('trt'), patientId, medication: medication!, dosage: dosage!, kind: kind!, status: 'active' };
    if (code) row.code = code;
    if (start) row.start = start;
    if (end) row.end = end;
    if (prescriber) row.prescriber = prescriber;
    await db.treatments.add(row);
    return { row, audit: recordEvent('record.treatment.create', 'C', patient, { type: 'MedicationRequest', id: row.id }, { kind: row.kind }) };
  });
}

export interface ProblemInput {
  code: string;
  label: string;
  onset?: string;
}

/** CIM-10: a letter, two digits, optionally a dot and up to 4 more characters (e.g. I21.0, E11.9). */
const CIM10 = /^[A-Z]\d{2}(\.?[0-9A-Z+]{1,4})?$/;

export async function addProblem(db: RecordDb, patientId: string, input: ProblemInput, clock: { now?: Date } = {}): Promise<WriteResult<ProblemRow>> {
  const now = clock.now ?? new Date();
  const c = new Checker();
  const raw = (input ?? {}) as unknown as Record<string, unknown>;
  const code = c.text('code', 'Code CIM-10', raw.code, { required: true, max: 10 })?.toUpperCase();
  if (code !== undefined && !CIM10.test(code)) c.fail('code', 'Code CIM-10 : format attendu lettre + 2 chiffres, ex. I21.0 ou E11.9.');
  const label = c.text('label', 'Libellé du diagnostic', raw.label, { required: true, max: 300 });
  const onset = c.date('onset', 'Date de début', raw.onset, { max: parisDay(now) });
  c.throwIfAny();
  return db.transaction('rw', db.patients, db.problems, async () => {
    const patient = await writablePatient(db, patientId);
    const row: ProblemRow = { id: newId('pb'), patientId, code: code!, label: label!, status: 'active' };
    if (onset) row.onset = onset;
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
  const c = new Checker();
  const raw = (input ?? {}) as unknown as Record<string, unknown>;
  const author = c.text('author', 'Auteur', raw.author, { required: true, max: 100 });
  const text = c.text('text', 'Texte de la note', raw.text, { required: true, max: 20_000 });
  const stayId = c.text('stayId', 'Séjour', raw.stayId, { max: 100 });
  c.throwIfAny();
  return db.transaction('rw', db.patients, db.notes, db.stays, async () => {
    const patient = await writablePatient(db, patientId);
    if (stayId) {
      const stay = await db.stays.get(stayId);
      if (!stay || stay.patientId !== patientId) throw new RecordStateError('Séjour introuvable pour ce patient.');
    }
    const row: NoteRow = { id: newId('note'), patientId, author: author!, text: text!, createdAt: nowIso(clock.now) };
    if (stayId) row.stayId = stayId;
    await db.notes.add(row);
    return { row, audit: recordEvent('record.note.create', 'C', patient, { type: 'Observation', id: row.id }) };
  });
}
