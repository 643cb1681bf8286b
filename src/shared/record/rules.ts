import { IDENTITY_STATUSES } from '../ins/identity-status';
import { validateNir } from '../ins/nir';
import { INS_OIDS, type InsOid } from '../ins/oids';
import { searchTokens } from '../text/normalise';
import { parisDay, parisParts } from '../time';
import type { AllergyRow, PatientRow, Sex, StayRow, StayType, TreatmentRow } from './types';
import { Checker, RecordStateError } from './validation';

/**
 * The rules of every bedside write, in one place: the renderer runs them for instant form
 * feedback, main runs them again before it journals and queues the write (same French messages).
 */

type Raw = Record<string, unknown>;
const raw = (input: unknown): Raw => (input ?? {}) as Raw;

export interface CheckedAllergy {
  substance: string;
  code?: string;
  reaction?: string;
  criticality?: AllergyRow['criticality'];
  recordedBy?: string;
}

export function checkAllergy(input: unknown): CheckedAllergy {
  const c = new Checker();
  const r = raw(input);
  const substance = c.text('substance', 'Allergène', r.substance, { required: true, max: 200 });
  const code = c.text('code', "Code de l'allergène", r.code, { max: 40 });
  const reaction = c.text('reaction', 'Réaction', r.reaction, { max: 500 });
  const criticality = c.oneOf('criticality', 'Gravité', r.criticality, ['low', 'high', 'unable-to-assess'] as const, false);
  const recordedBy = c.text('recordedBy', 'Saisi par', r.recordedBy, { max: 100 });
  c.throwIfAny();
  return defined({ substance: substance!, code, reaction, criticality, recordedBy });
}

export interface CheckedTreatment {
  medication: string;
  code?: string;
  dosage: string;
  kind: TreatmentRow['kind'];
  start?: string;
  end?: string;
  prescriber?: string;
}

export function checkTreatment(input: unknown, now: Date): CheckedTreatment {
  const c = new Checker();
  const r = raw(input);
  const medication = c.text('medication', 'Médicament', r.medication, { required: true, max: 200 });
  const code = c.text('code', 'Code du médicament', r.code, { max: 40 });
  const dosage = c.text('dosage', 'Posologie', r.dosage, { required: true, max: 500 });
  const kind = c.oneOf('kind', 'Type de prescription', r.kind ?? 'current', ['current', 'discharge'] as const);
  const start = c.date('start', 'Début', r.start ?? parisDay(now));
  const end = c.date('end', 'Fin', r.end);
  if (start && end && end < start) c.fail('end', 'Fin : la date de fin précède la date de début.');
  const prescriber = c.text('prescriber', 'Prescripteur', r.prescriber, { max: 100 });
  c.throwIfAny();
  return defined({ medication: medication!, code, dosage: dosage!, kind: kind!, start, end, prescriber });
}

/** CIM-10: a letter, two digits, optionally a dot and up to 4 more characters (e.g. I21.0, E11.9). */
const CIM10 = /^[A-Z]\d{2}(\.?[0-9A-Z+]{1,4})?$/;

export interface CheckedProblem {
  code: string;
  label: string;
  onset?: string;
}

export function checkProblem(input: unknown, now: Date): CheckedProblem {
  const c = new Checker();
  const r = raw(input);
  const code = c.text('code', 'Code CIM-10', r.code, { required: true, max: 10 })?.toUpperCase();
  if (code !== undefined && !CIM10.test(code)) c.fail('code', 'Code CIM-10 : format attendu lettre + 2 chiffres, ex. I21.0 ou E11.9.');
  const label = c.text('label', 'Libellé du diagnostic', r.label, { required: true, max: 300 });
  const onset = c.date('onset', 'Date de début', r.onset, { max: parisDay(now) });
  c.throwIfAny();
  return defined({ code: code!, label: label!, onset });
}

export interface CheckedNote {
  author: string;
  text: string;
  stayId?: string;
}

export function checkNote(input: unknown): CheckedNote {
  const c = new Checker();
  const r = raw(input);
  const author = c.text('author', 'Auteur', r.author, { required: true, max: 100 });
  const text = c.text('text', 'Texte de la note', r.text, { required: true, max: 20_000 });
  const stayId = c.text('stayId', 'Séjour', r.stayId, { max: 100 });
  c.throwIfAny();
  return defined({ author: author!, text: text!, stayId });
}

export const MESSAGES = {
  patientNotFound: 'Patient introuvable dans le dossier local.',
  linkedPatient: "Cette identité provisoire a été rattachée à l'identité définitive : saisissez dans le dossier définitif.",
  stayNotFound: 'Séjour introuvable pour ce patient.',
  selfLink: 'Une identité ne peut pas être rattachée à elle-même.',
  provisionalNotFound: 'Identité provisoire introuvable dans le dossier local.',
  realNotFound: 'Identité définitive introuvable dans le dossier local.',
  notProvisional: 'Seule une identité provisoire peut être rattachée à une autre identité.',
  realLinked: "L'identité choisie est elle-même rattachée à une autre : choisissez l'identité définitive.",
} as const;

/** The patient a bedside write goes to: must exist and not be a provisional identity already linked. */
export function assertWritablePatient(patient: PatientRow | undefined): PatientRow {
  if (!patient) throw new RecordStateError(MESSAGES.patientNotFound);
  if (patient.linkedTo) throw new RecordStateError(MESSAGES.linkedPatient);
  return patient;
}

/** A note's stay must be one of the patient's. */
export function assertStayOf(stay: Pick<StayRow, 'patientId'> | undefined, patientId: string): void {
  if (!stay || stay.patientId !== patientId) throw new RecordStateError(MESSAGES.stayNotFound);
}

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
  identityStatus?: PatientRow['identityStatus'];
  currentUnit?: string;
}

export type CheckedPatient = Omit<PatientRow, 'id' | 'ipp' | 'createdAt' | 'updatedAt'> & { ipp?: string };

const INSEE_CODE = /^(\d{5}|2[AB]\d{3})$/;

function checkIns(c: Checker, given: { value?: unknown; oid?: unknown }, sex: string | undefined, birthDate: string | undefined): PatientRow['ins'] {
  const check = typeof given.value === 'string' ? validateNir(given.value) : { ok: false as const, error: 'Le NIR est vide.' };
  if (!check.ok) {
    c.fail('ins', `INS : ${check.error}`);
    return undefined;
  }
  if (typeof given.oid !== 'string' || !(INS_OIDS as readonly string[]).includes(given.oid)) {
    c.fail('ins', `INS : OID inconnu (attendu : ${INS_OIDS.join(', ')}).`);
    return undefined;
  }
  // The matricule encodes sex, year and month of birth: it must agree with the traits.
  if (sex && /^[12]/.test(check.nir) && check.nir[0] !== (sex === 'M' ? '1' : '2')) {
    c.fail('ins', 'INS : le premier chiffre du NIR ne correspond pas au sexe saisi.');
  }
  if (birthDate && check.nir.slice(1, 3) !== birthDate.slice(2, 4)) {
    c.fail('ins', "INS : l'année de naissance du NIR ne correspond pas à la date de naissance.");
  }
  const month = Number(check.nir.slice(3, 5));
  if (birthDate && month >= 1 && month <= 12 && month !== Number(birthDate.slice(5, 7))) {
    c.fail('ins', 'INS : le mois de naissance du NIR ne correspond pas à la date de naissance.');
  }
  return { value: check.nir, oid: given.oid as InsOid };
}

/** Validates a new identity; every bad field gets its own French message. */
export function checkNewPatient(input: unknown, now: Date): CheckedPatient {
  const c = new Checker();
  const r = raw(input);
  const ipp = c.text('ipp', 'IPP', r.ipp, { max: 20 });
  if (ipp !== undefined && !/^\d{1,20}$/.test(ipp)) c.fail('ipp', 'IPP : uniquement des chiffres.');
  const birthFamilyName = c.name('birthFamilyName', 'Nom de naissance', r.birthFamilyName, true);
  const birthGivenNames = c.name('birthGivenNames', 'Prénom(s) de naissance', r.birthGivenNames, true);
  const birthDate = c.date('birthDate', 'Date de naissance', r.birthDate, { required: true, min: '1890-01-01', max: parisDay(now) });
  const sex = c.oneOf('sex', 'Sexe', r.sex, ['M', 'F'] as const);
  const identityStatus = c.oneOf('identityStatus', "Statut de l'identité", r.identityStatus ?? 'PROV', IDENTITY_STATUSES);
  const birthPlaceCode = c.text('birthPlaceCode', 'Lieu de naissance (code INSEE)', r.birthPlaceCode, {
    required: identityStatus !== undefined && identityStatus !== 'PROV',
    max: 5,
  })?.toUpperCase();
  if (birthPlaceCode !== undefined && !INSEE_CODE.test(birthPlaceCode)) {
    c.fail('birthPlaceCode', 'Lieu de naissance : code INSEE à 5 caractères attendu (ex. 21231, 2A004, 99134 pour un pays étranger).');
  }
  const usedFamilyName = c.name('usedFamilyName', "Nom d'usage", r.usedFamilyName, false);
  const usedGivenName = c.name('usedGivenName', "Prénom d'usage", r.usedGivenName, false);
  const currentUnit = c.text('currentUnit', 'Unité', r.currentUnit, { max: 80 });
  const ins = r.ins !== undefined && r.ins !== null ? checkIns(c, r.ins as { value?: unknown; oid?: unknown }, sex, birthDate) : undefined;
  if ((identityStatus === 'RECUP' || identityStatus === 'QUAL') && !r.ins) {
    c.fail('ins', `INS : obligatoire pour une identité ${identityStatus === 'QUAL' ? 'qualifiée' : 'récupérée'} (retour du téléservice INSi).`);
  }
  c.throwIfAny();

  const names = { birthFamilyName: birthFamilyName!, birthGivenNames: birthGivenNames!, usedFamilyName, usedGivenName };
  const row: CheckedPatient = {
    ...defined(names),
    birthDate: birthDate!,
    sex: sex!,
    identityStatus: identityStatus!,
    tokens: searchTokens(names),
    units: currentUnit ? [currentUnit] : [],
  };
  if (ipp) row.ipp = ipp;
  if (birthPlaceCode) row.birthPlaceCode = birthPlaceCode;
  if (ins) {
    row.ins = ins;
    row.insNir = ins.value;
  }
  if (currentUnit) row.currentUnit = currentUnit;
  return row;
}

export interface CheckedStay {
  unit: string;
  type: StayType;
  start: string;
  motive?: string;
}

const STAY_TYPES = ['hospitalisation', 'urgences', 'consultation', 'ambulatoire'] as const satisfies readonly StayType[];

/** The stay opened with a new identity (admission desk): unit and type required, start now by default. */
export function checkNewStay(input: unknown, now: Date): CheckedStay {
  const c = new Checker();
  const r = raw(input);
  const unit = c.text('stay.unit', 'Unité du séjour', r.unit, { required: true, max: 80 });
  const type = c.oneOf('stay.type', 'Type de séjour', r.type ?? 'hospitalisation', STAY_TYPES);
  const motive = c.text('stay.motive', 'Motif du séjour', r.motive, { max: 300 });
  let start = now.toISOString();
  if (r.start !== undefined) {
    const text = c.text('stay.start', 'Début du séjour', r.start, { required: true, max: 40 });
    if (text !== undefined) {
      const t = Date.parse(text);
      if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) c.fail('stay.start', 'Début du séjour : date et heure ISO 8601 attendues.');
      else start = new Date(t).toISOString();
    }
  }
  c.throwIfAny();
  return defined({ unit: unit!, type: type!, start, motive });
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** "Inconnu urgences 23/11 14:05" in Paris time, as every screen shows times. */
export function provisionalLabel(now: Date): string {
  const p = parisParts(now);
  return `Inconnu urgences ${two(p.day)}/${two(p.month)} ${two(p.hour)}:${two(p.minute)}`;
}

export interface CheckedEmergency {
  unit: string;
  sex: Sex;
}

export function checkEmergencyPatient(input: unknown): CheckedEmergency {
  const c = new Checker();
  const r = raw(input);
  const unit = c.text('unit', 'Unité', r.unit ?? 'Urgences', { max: 80 }) ?? 'Urgences';
  const sex = c.oneOf('sex', 'Sexe', r.sex ?? 'U', ['M', 'F', 'U'] as const);
  c.throwIfAny();
  return { unit, sex: sex! };
}

/** The names of an unidentified emergency patient: searchable by "inconnu" and by the arrival time. */
export function emergencyNames(label: string): { birthFamilyName: string; birthGivenNames: string } {
  return { birthFamilyName: 'INCONNU', birthGivenNames: label.slice('Inconnu '.length).toUpperCase() };
}

export interface CheckedLink {
  provisionalId: string;
  realId: string;
  linkedBy: string;
}

export function checkLink(input: unknown): CheckedLink {
  const c = new Checker();
  const r = raw(input);
  const linkedBy = c.text('linkedBy', 'Auteur du rapprochement', r.linkedBy, { required: true, max: 100 });
  const provisionalId = c.text('provisionalId', 'Identité provisoire', r.provisionalId, { required: true });
  const realId = c.text('realId', 'Identité définitive', r.realId, { required: true });
  c.throwIfAny();
  if (provisionalId === realId) throw new RecordStateError(MESSAGES.selfLink);
  return { provisionalId: provisionalId!, realId: realId!, linkedBy: linkedBy! };
}

/** Both identities exist, the first is provisional and unlinked, the second is not itself linked away. */
export function assertLinkable(provisional: PatientRow | undefined, real: PatientRow | undefined): { provisional: PatientRow; real: PatientRow } {
  if (!provisional) throw new RecordStateError(MESSAGES.provisionalNotFound);
  if (!real) throw new RecordStateError(MESSAGES.realNotFound);
  if (provisional.identityStatus !== 'PROV') throw new RecordStateError(MESSAGES.notProvisional);
  if (provisional.linkedTo) throw new RecordStateError(`Cette identité provisoire est déjà rattachée (IPP ${provisional.ipp}).`);
  if (real.linkedTo) throw new RecordStateError(MESSAGES.realLinked);
  return { provisional, real };
}

/** Drops the keys whose value is undefined, so rows compare equal to what a FHIR round trip gives back. */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
