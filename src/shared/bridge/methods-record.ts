import { z } from 'zod';
import { CLINICAL_ROLES, UNIT_BOUND_ROLES } from '../authz/roles';
import { method } from './define';
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
  'record.reportSearch': method({
    summary: 'Reports a patient search (the query, not its results).',
    input: z.object({ query: z.string().max(200) }).strict(),
    output: Ack,
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
} as const;
