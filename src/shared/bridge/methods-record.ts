import { z } from 'zod';
import { CLINICAL_ROLES, UNIT_BOUND_ROLES } from '../authz/roles';
import { method } from './define';
import type { RecordRows } from '../record/types';
import { PatientRefSchema } from './patient-ref';

/**
 * The local record lives in the renderer's IndexedDB; these methods are the
 * gate main keeps in front of it: the renderer asks before showing a chart and
 * reports every read and write, and main decides and journals.
 */
export const RECORD_ACCESS_EVENTS = {
  'record.document.view': { action: 'R', label: 'Consultation d’un document' },
  'record.labs.view': { action: 'R', label: 'Consultation des résultats de biologie' },
  'record.patient.create': { action: 'C', label: 'Création d’un patient' },
  'record.identity.update': { action: 'U', label: 'Modification de l’identité' },
  'record.identity.link': { action: 'U', label: 'Rattachement d’une identité provisoire' },
  'record.allergy.write': { action: 'C', label: 'Saisie d’une allergie' },
  'record.treatment.write': { action: 'C', label: 'Saisie d’un traitement' },
  'record.problem.write': { action: 'C', label: 'Saisie d’un problème / diagnostic' },
  'record.note.write': { action: 'C', label: 'Saisie d’une note clinique' },
  'record.import': { action: 'C', label: 'Import de données' },
} as const;
export type RecordAccessEvent = keyof typeof RECORD_ACCESS_EVENTS;

const eventKeys = Object.keys(RECORD_ACCESS_EVENTS) as [RecordAccessEvent, ...RecordAccessEvent[]];

/**
 * Local writes (DESIGN-11 part D): the fields are loosely typed here and checked by the shared rules
 * (src/shared/record/rules.ts) in main, which say in French what is wrong with each field, as the forms do.
 */
const text = (max: number) => z.string().max(max).optional();
const writeRows = z.custom<RecordRows>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'lignes invalides' });
const Written = z.object({ rows: writeRows, seq: z.number().int().positive() });
const write = <S extends z.ZodRawShape>(summary: string, fields: S) =>
  method({
    summary,
    input: z.object({ patient: PatientRefSchema, ...fields }).strict(),
    output: Written,
    access: CLINICAL_ROLES,
    scope: 'patient',
  });
const identityFields = {
  birthFamilyName: text(200),
  birthGivenNames: text(200),
  birthDate: text(40),
  sex: text(10),
  birthPlaceCode: text(10),
  usedFamilyName: text(200),
  usedGivenName: text(200),
  /** Only PROV: a workstation creates provisional identities; qualification goes through the INSi teleservice. */
  identityStatus: text(10),
};
const stayFields = z.object({ unit: text(100), type: text(40), start: text(40), motive: text(400) }).strict();

export const recordWriteMethods = {
  'record.allergy.add': write('Records an allergy (journalled, applied to the replica, queued for the hospital server).', {
    substance: text(400),
    code: text(80),
    reaction: text(1000),
    criticality: text(40),
    recordedBy: text(200),
  }),
  'record.treatment.add': write('Records a treatment (current or discharge prescription).', {
    medication: text(400),
    code: text(80),
    dosage: text(1000),
    kind: text(20),
    start: text(40),
    end: text(40),
    prescriber: text(200),
  }),
  'record.problem.add': write('Records a problem / diagnosis (CIM-10).', { code: text(20), label: text(600), onset: text(40) }),
  'record.note.add': write('Records a clinical note, optionally on one of the patient’s stays.', { author: text(200), text: text(40_000), stayId: text(200) }),
  'record.patient.create': method({
    summary: 'Creates a provisional identity (PROV) and, optionally, its stay; the patient is in care in that unit at once.',
    input: z.object({ ...identityFields, stay: stayFields.optional() }).strict(),
    output: Written,
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
  'record.patient.createUnidentified': method({
    summary: 'Creates an unidentified emergency patient ("Inconnu urgences 23/11 14:05") with its emergency stay.',
    input: z.object({ unit: text(100), sex: text(10) }).strict(),
    output: Written,
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
  'record.identity.link': method({
    summary: 'Links the provisional identity `patient` to the real one (`realId`): FHIR Patient.link replaced-by, If-Match.',
    input: z.object({ patient: PatientRefSchema, realId: z.string().min(1).max(100), linkedBy: text(200) }).strict(),
    output: Written,
    access: UNIT_BOUND_ROLES,
    scope: 'patient',
  }),
} as const;
const Ack = z.object({ recorded: z.literal(true), seq: z.number().int().nonnegative() });

export const recordMethods = {
  'record.openChart': method({
    summary: 'Asks to open a patient’s clinical chart; journals the access.',
    input: z.object({ patient: PatientRefSchema }).strict(),
    output: z.object({ granted: z.literal(true), via: z.enum(['unit', 'break_glass']), seq: z.number().int().nonnegative() }),
    access: CLINICAL_ROLES,
    scope: 'patient',
  }),
  'record.openIdentity': method({
    summary: 'Asks to open a patient’s administrative file (identity, stays, letters).',
    input: z.object({ patient: PatientRefSchema }).strict(),
    output: z.object({ granted: z.literal(true), via: z.enum(['unit', 'break_glass']), seq: z.number().int().nonnegative() }),
    access: UNIT_BOUND_ROLES,
    scope: 'patient',
  }),
  'record.reportAccess': method({
    summary: 'Reports a read or write of the local record for the journal.',
    input: z
      .object({
        patient: PatientRefSchema,
        event: z.enum(eventKeys),
        entity: z.object({ type: z.string().min(1).max(40), id: z.string().min(1).max(200) }).strict().optional(),
      })
      .strict(),
    output: Ack,
    access: UNIT_BOUND_ROLES,
    scope: 'patient',
  }),
  'record.importFiles': method({
    summary: 'FHIR files prepared in the data directory (npm run seed, hospital exports).',
    input: z.object({}).strict(),
    output: z.array(z.object({ name: z.string(), bytes: z.number().int().nonnegative() })),
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
  'record.importFile': method({
    summary: 'The text of one prepared FHIR file, for the renderer’s import path.',
    input: z.object({ name: z.string().min(1).max(130) }).strict(),
    output: z.object({ name: z.string(), text: z.string() }),
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
  'record.importDemo': method({
    summary: 'One lot of the generated demonstration population: main generates and indexes it, the renderer imports it.',
    input: z.object({ total: z.number().int().min(1).max(200_000), first: z.number().int().min(0).max(200_000) }).strict(),
    output: z.object({
      /** The lot as a FHIR Bundle (JSON text, read by the renderer's importer). */
      text: z.string(),
      first: z.number().int().nonnegative(),
      count: z.number().int().nonnegative(),
      /** Where the next lot starts, or null after the last one. */
      next: z.number().int().nonnegative().nullable(),
      /** With the first lot: the people of the embedded "DMP de test" (qualified identities), as a Bundle. */
      dmpPatients: z.string().optional(),
    }),
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
  'record.registerPatient': method({
    summary: 'A patient just created on this workstation (desk or unidentified emergency): main indexes them in one of the caller’s units.',
    input: z
      .object({
        /** A new local id (pat-<uuid>) and the IPP the workstation allocated; never an INS (qualification is the hospital's). */
        created: z.object({ id: z.string().regex(/^pat-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'Identifiant de patient local attendu.'), ipp: z.string().regex(/^[A-Za-z0-9-]{1,40}$/, 'IPP invalide.') }).strict(),
        unit: z.string().trim().min(1).max(80),
        provisional: z.boolean().default(false),
      })
      .strict(),
    output: Ack,
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
  'record.reportSearch': method({
    summary: 'Reports a patient search (the query, not its results).',
    input: z.object({ query: z.string().max(200) }).strict(),
    output: Ack,
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
  ...recordWriteMethods,
} as const;
