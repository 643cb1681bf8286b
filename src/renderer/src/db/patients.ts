import { IDENTITY_STATUSES, type IdentityStatus } from '../../../shared/ins/identity-status';
import { validateNir } from '../../../shared/ins/nir';
import { INS_OIDS, type InsOid } from '../../../shared/ins/oids';
import { searchTokens } from '../../../shared/text/normalise';
import { parisDay, parisParts } from '../../../shared/time';
import { recordEvent, type RecordAuditEvent } from './audit';
import type { RecordDb } from './database';
import { newId } from './ids';
import type { IdentityLinkRow, PatientRow, Sex } from './types';
import { Checker, RecordStateError, RecordValidationError } from './validation';

export interface NewPatientInput {
  /** Hospital number; allocated locally when absent (offline). */
  ipp?: string;
  birthFamilyName: string;
  birthGivenNames: string;
  /** yyyy-mm-dd or dd/mm/yyyy. */
  birthDate: string;
  sex: 'M' | 'F';
  /** INSEE code: 5 digits, 2A/2B + 3 digits for Corsica, 99xxx for born abroad. */
  birthPlaceCode?: string;
  usedFamilyName?: string;
  usedGivenName?: string;
  ins?: { value: string; oid: InsOid };
  identityStatus?: IdentityStatus;
  currentUnit?: string;
}

export interface Clock {
  now?: Date;
}

const INSEE_CODE = /^(\d{5}|2[AB]\d{3})$/;


/** Validates a new identity; every bad field gets its own French message. */
export function checkNewPatient(input: NewPatientInput, now: Date): Omit<PatientRow, 'id' | 'ipp' | 'createdAt' | 'updatedAt'> & { ipp?: string } {
  const c = new Checker();
  const raw = (input ?? {}) as unknown as Record<string, unknown>;
  const ipp = c.text('ipp', 'IPP', raw.ipp, { max: 20 });
  if (ipp !== undefined && !/^\d{1,20}$/.test(ipp)) c.fail('ipp', 'IPP : uniquement des chiffres.');
  const birthFamilyName = c.name('birthFamilyName', 'Nom de naissance', raw.birthFamilyName, true);
  const birthGivenNames = c.name('birthGivenNames', 'Prénom(s) de naissance', raw.birthGivenNames, true);
  const birthDate = c.date('birthDate', 'Date de naissance', raw.birthDate, { required: true, min: '1890-01-01', max: parisDay(now) });
  const sex = c.oneOf('sex', 'Sexe', raw.sex, ['M', 'F'] as const);
  const identityStatus = c.oneOf('identityStatus', "Statut de l'identité", raw.identityStatus ?? 'PROV', IDENTITY_STATUSES);
  const birthPlaceCode = c.text('birthPlaceCode', 'Lieu de naissance (code INSEE)', raw.birthPlaceCode, {
    required: identityStatus !== undefined && identityStatus !== 'PROV',
    max: 5,
  })?.toUpperCase();
  if (birthPlaceCode !== undefined && !INSEE_CODE.test(birthPlaceCode)) {
    c.fail('birthPlaceCode', 'Lieu de naissance : code INSEE à 5 caractères attendu (ex. 21231, 2A004, 99134 pour un pays étranger).');
  }
  const usedFamilyName = c.name('usedFamilyName', "Nom d'usage", raw.usedFamilyName, false);
  const usedGivenName = c.name('usedGivenName', "Prénom d'usage", raw.usedGivenName, false);
  const currentUnit = c.text('currentUnit', 'Unité', raw.currentUnit, { max: 80 });

  let ins: PatientRow['ins'];
  if (raw.ins !== undefined && raw.ins !== null) {
    const given = raw.ins as { value?: unknown; oid?: unknown };
    const check = typeof given.value === 'string' ? validateNir(given.value) : { ok: false as const, error: 'Le NIR est vide.' };
    if (!check.ok) c.fail('ins', `INS : ${check.error}`);
    else if (typeof given.oid !== 'string' || !(INS_OIDS as readonly string[]).includes(given.oid)) {
      c.fail('ins', `INS : OID inconnu (attendu : ${INS_OIDS.join(', ')}).`);
    } else {
      ins = { value: check.nir, oid: given.oid as InsOid };
      // The matricule encodes sex, year and month of birth: it must agree with the traits.
      if (sex && /^[12]/.test(check.nir) && check.nir[0] !== (sex === 'M' ? '1' : '2')) {
        c.fail('ins', "INS : le premier chiffre du NIR ne correspond pas au sexe saisi.");
      }
      if (birthDate && check.nir.slice(1, 3) !== birthDate.slice(2, 4)) {
        c.fail('ins', "INS : l'année de naissance du NIR ne correspond pas à la date de naissance.");
      }
      const month = Number(check.nir.slice(3, 5));
      if (birthDate && month >= 1 && month <= 12 && month !== Number(birthDate.slice(5, 7))) {
        c.fail('ins', 'INS : le mois de naissance du NIR ne correspond pas à la date de naissance.');
      }
    }
  }
  if ((identityStatus === 'RECUP' || identityStatus === 'QUAL') && !raw.ins) {
    c.fail('ins', `INS : obligatoire pour une identité ${identityStatus === 'QUAL' ? 'qualifiée' : 'récupérée'} (retour du téléservice INSi).`);
  }
  c.throwIfAny();

  const names = { birthFamilyName: birthFamilyName!, birthGivenNames: birthGivenNames!, usedFamilyName, usedGivenName };
  const row: Omit<PatientRow, 'id' | 'ipp' | 'createdAt' | 'updatedAt'> & { ipp?: string } = {
    ...names,
    birthDate: birthDate!,
    sex: sex!,
    identityStatus: identityStatus!,
    tokens: searchTokens(names),
    units: currentUnit ? [currentUnit] : [],
  };
  if (ipp) row.ipp = ipp;
  if (!usedFamilyName) delete row.usedFamilyName;
  if (!usedGivenName) delete row.usedGivenName;
  if (birthPlaceCode) row.birthPlaceCode = birthPlaceCode;
  if (ins) {
    row.ins = ins;
    row.insNir = ins.value;
  }
  if (currentUnit) row.currentUnit = currentUnit;
  return row;
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

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** "Inconnu urgences 23/11 14:05" in Paris time, as every screen shows times. */
export function provisionalLabel(now: Date): string {
  const p = parisParts(now);
  return `Inconnu urgences ${two(p.day)}/${two(p.month)} ${two(p.hour)}:${two(p.minute)}`;
}

/** An unidentified emergency patient: provisional identity, no birth date, to be linked later. */
export async function createEmergencyPatient(
  db: RecordDb,
  input: { unit?: string; sex?: Sex } = {},
  clock: Clock = {},
): Promise<WriteResult<PatientRow>> {
  const now = clock.now ?? new Date();
  const c = new Checker();
  const unit = c.text('unit', 'Unité', input.unit ?? 'Urgences', { max: 80 }) ?? 'Urgences';
  const sex = c.oneOf('sex', 'Sexe', input.sex ?? 'U', ['M', 'F', 'U'] as const);
  c.throwIfAny();
  const label = provisionalLabel(now);
  const names = { birthFamilyName: 'INCONNU', birthGivenNames: label.slice('Inconnu '.length).toUpperCase() };
  return db.transaction('rw', db.patients, async () => {
    const row: PatientRow = {
      id: newId('pat'),
      ipp: await allocateIpp(db),
      ...names,
      sex: sex!,
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
  const c = new Checker();
  const linkedBy = c.text('linkedBy', 'Auteur du rapprochement', input.linkedBy, { required: true, max: 100 });
  c.text('provisionalId', 'Identité provisoire', input.provisionalId, { required: true });
  c.text('realId', 'Identité définitive', input.realId, { required: true });
  c.throwIfAny();
  if (input.provisionalId === input.realId) throw new RecordStateError('Une identité ne peut pas être rattachée à elle-même.');
  return db.transaction('rw', db.patients, db.identityLinks, async () => {
    const [provisional, real] = await db.patients.bulkGet([input.provisionalId, input.realId]);
    if (!provisional) throw new RecordStateError('Identité provisoire introuvable dans le dossier local.');
    if (!real) throw new RecordStateError('Identité définitive introuvable dans le dossier local.');
    if (provisional.identityStatus !== 'PROV') {
      throw new RecordStateError("Seule une identité provisoire peut être rattachée à une autre identité.");
    }
    if (provisional.linkedTo) throw new RecordStateError(`Cette identité provisoire est déjà rattachée (IPP ${provisional.ipp}).`);
    if (real.linkedTo) throw new RecordStateError("L'identité choisie est elle-même rattachée à une autre : choisissez l'identité définitive.");
    const link: IdentityLinkRow = {
      id: newId('lnk'),
      provisionalId: provisional.id,
      realId: real.id,
      linkedBy: linkedBy!,
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
