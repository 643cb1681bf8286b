import { assertLinkable, checkEmergencyPatient, checkLink, checkNewPatient, emergencyNames, provisionalLabel, type NewPatientInput } from '../../../shared/record/rules';
import { searchTokens } from '../../../shared/text/normalise';
import { recordEvent, type RecordAuditEvent } from './audit';
import type { RecordDb } from './database';
import { newId } from './ids';
import type { IdentityLinkRow, PatientRow, Sex } from './types';
import { RecordStateError, RecordValidationError } from '../../../shared/record/validation';

export { checkNewPatient, provisionalLabel, type NewPatientInput };

export interface Clock {
  now?: Date;
}

/**
 * Local IPP while the hospital identity server is out of reach: "9" + 8 random digits. The
 * unique index refuses a clash; we retry a few times inside the same transaction.
 */
async function allocateIpp(db: RecordDb): Promise<string> {
  for (let i = 0; i < 8; i++) {
    const n = crypto.getRandomValues(new Uint32Array(1))[0]! % 100_000_000;
    const ipp = '9' + String(n).padStart(8, '0');
    if ((await db.patients.where('ipp').equals(ipp).count()) === 0) return ipp;
  }
  throw new RecordStateError("Impossible d'attribuer un IPP local : réessayez.");
}

export interface WriteResult<T> {
  row: T;
  audit: RecordAuditEvent;
}

/** Creates a patient in one transaction; a duplicate IPP or INS is refused. */
export async function createPatient(db: RecordDb, input: NewPatientInput, clock: Clock = {}): Promise<WriteResult<PatientRow>> {
  const now = clock.now ?? new Date();
  const checked = checkNewPatient(input, now);
  return db.transaction('rw', db.patients, async () => {
    if (checked.ipp && (await db.patients.where('ipp').equals(checked.ipp).count()) > 0) {
      throw new RecordValidationError({ ipp: 'IPP : déjà attribué à un autre patient.' });
    }
    if (checked.insNir) {
      const same = await db.patients.where('insNir').equals(checked.insNir).first();
      if (same) throw new RecordValidationError({ ins: `INS : déjà portée par le patient IPP ${same.ipp}.` });
    }
    const row: PatientRow = {
      ...checked,
      id: newId('pat'),
      ipp: checked.ipp ?? (await allocateIpp(db)),
      createdAt: now.getTime(),
      updatedAt: now.getTime(),
    };
    await db.patients.add(row);
    return { row, audit: recordEvent('record.patient.create', 'C', row, { type: 'Patient', id: row.id }) };
  });
}

/** An unidentified emergency patient: provisional identity, no birth date, to be linked later. */
export async function createEmergencyPatient(
  db: RecordDb,
  input: { unit?: string; sex?: Sex } = {},
  clock: Clock = {},
): Promise<WriteResult<PatientRow>> {
  const now = clock.now ?? new Date();
  const { unit, sex } = checkEmergencyPatient(input);
  const label = provisionalLabel(now);
  const names = emergencyNames(label);
  return db.transaction('rw', db.patients, async () => {
    const row: PatientRow = {
      id: newId('pat'),
      ipp: await allocateIpp(db),
      ...names,
      sex,
      identityStatus: 'PROV',
      tokens: searchTokens(names),
      units: [unit],
      currentUnit: unit,
      provisionalLabel: label,
      createdAt: now.getTime(),
      updatedAt: now.getTime(),
    };
    await db.patients.add(row);
    return { row, audit: recordEvent('record.patient.create', 'C', row, { type: 'Patient', id: row.id }, { provisional: true }) };
  });
}

/** Reads one patient; the audit event is for the caller to report. */
export async function getPatient(db: RecordDb, id: string): Promise<{ row: PatientRow | undefined; audit?: RecordAuditEvent }> {
  const row = await db.patients.get(id);
  return row ? { row, audit: recordEvent('record.patient.read', 'R', row, { type: 'Patient', id }) } : { row };
}

/** Stamps the chart as opened now, for the "recent patients" list. */
export async function markOpened(db: RecordDb, id: string, clock: Clock = {}): Promise<void> {
  const now = (clock.now ?? new Date()).getTime();
  const changed = await db.patients.update(id, { lastOpenedAt: now });
  if (changed === 0 && !(await db.patients.get(id))) throw new RecordStateError('Patient introuvable dans le dossier local.');
}

export interface LinkResult {
  link: IdentityLinkRow;
  provisional: PatientRow;
  real: PatientRow;
  /** One event per identity touched. */
  audit: RecordAuditEvent[];
}

/**
 * Links a provisional (emergency) identity to the real patient. Nothing is moved: each row keeps
 * its patientId, so both histories stay readable; the chart of the real patient gathers both.
 */
export async function linkProvisionalIdentity(
  db: RecordDb,
  input: { provisionalId: string; realId: string; linkedBy: string },
  clock: Clock = {},
): Promise<LinkResult> {
  const now = clock.now ?? new Date();
  const { linkedBy } = checkLink(input);
  return db.transaction('rw', db.patients, db.identityLinks, async () => {
    const found = await db.patients.bulkGet([input.provisionalId, input.realId]);
    const { provisional, real } = assertLinkable(found[0], found[1]);
    const link: IdentityLinkRow = {
      id: newId('lnk'),
      provisionalId: provisional.id,
      realId: real.id,
      linkedBy,
      linkedAt: now.toISOString(),
    };
    const stamp = now.getTime();
    const updatedProvisional: PatientRow = { ...provisional, linkedTo: real.id, updatedAt: stamp };
    const units = [...new Set([...real.units, ...provisional.units])];
    const updatedReal: PatientRow = { ...real, units, updatedAt: stamp };
    if (!real.currentUnit && provisional.currentUnit) updatedReal.currentUnit = provisional.currentUnit;
    await db.identityLinks.add(link);
    await db.patients.bulkPut([updatedProvisional, updatedReal]);
    const entity = { type: 'IdentityLink', id: link.id };
    return {
      link,
      provisional: updatedProvisional,
      real: updatedReal,
      audit: [
        recordEvent('record.identity.link', 'U', updatedProvisional, entity, { role: 'provisional', linkedToIpp: real.ipp }),
        recordEvent('record.identity.link', 'U', updatedReal, entity, { role: 'real', provisionalIpp: provisional.ipp }),
      ],
    };
  });
}
