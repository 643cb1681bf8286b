import { z } from 'zod';

/**
 * zod schemas for the FHIR R4 resources the record imports. Only the fields we read are kept;
 * every string has a length cap so a hostile bundle (10 MB names…) is refused field by field.
 */

export const LIMITS = {
  code: 100,
  short: 200,
  text: 2_000,
  uri: 500,
  /** Base64 attachment: ~22 MB of document, far above real CR/letters. */
  attachment: 30_000_000,
  array: 50,
  entries: 1_000_000,
} as const;

const s = (max: number = LIMITS.short) => z.string().max(max);
const arr = <T extends z.ZodType>(item: T, max: number = LIMITS.array) => z.array(item).max(max);

const DATE_TIME = /^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;
export const dateTime = z.string().max(40).regex(DATE_TIME);
export const date = z.string().max(10).regex(/^\d{4}-\d{2}-\d{2}$/);

export const coding = z.object({ system: s(LIMITS.uri).optional(), code: s(LIMITS.code).optional(), display: s(LIMITS.text).optional() });
export const codeable = z.object({ coding: arr(coding).optional(), text: s(LIMITS.text).optional() });
export const identifier = z.object({
  use: s(20).optional(),
  type: codeable.optional(),
  system: s(LIMITS.uri).optional(),
  value: s(LIMITS.short).optional(),
});
export const reference = z.object({ reference: s(LIMITS.uri).optional(), identifier: identifier.optional(), display: s(LIMITS.short).optional() });
const period = z.object({ start: dateTime.optional(), end: dateTime.optional() });
const quantity = z.object({ value: z.number().finite().optional(), unit: s(LIMITS.code).optional(), system: s(LIMITS.uri).optional(), code: s(LIMITS.code).optional() });

const leafExtension = z.object({
  url: s(LIMITS.uri),
  valueCoding: coding.optional(),
  valueCode: s(LIMITS.code).optional(),
  valueString: s(LIMITS.short).optional(),
});
const extension = leafExtension.extend({
  extension: arr(leafExtension).optional(),
  valueAddress: z.object({ extension: arr(leafExtension).optional(), city: s().optional(), district: s().optional() }).optional(),
});

const base = { id: s(64).optional(), identifier: arr(identifier).optional() };

export const patientSchema = z.object({
  resourceType: z.literal('Patient'),
  ...base,
  extension: arr(extension).optional(),
  name: arr(z.object({ use: s(20).optional(), family: s(100).optional(), given: arr(s(100), 10).optional(), text: s(200).optional() })).optional(),
  gender: z.enum(['male', 'female', 'other', 'unknown']).optional(),
  birthDate: date.optional(),
  link: arr(z.object({ other: reference, type: z.enum(['replaced-by', 'replaces', 'refer', 'seealso']) }), 10).optional(),
});

export const encounterSchema = z.object({
  resourceType: z.literal('Encounter'),
  ...base,
  status: s(30),
  class: coding.optional(),
  subject: reference,
  period: period.optional(),
  reasonCode: arr(codeable).optional(),
  serviceProvider: reference.optional(),
  location: arr(z.object({ location: reference })).optional(),
  serviceType: codeable.optional(),
});

export const conditionSchema = z.object({
  resourceType: z.literal('Condition'),
  ...base,
  clinicalStatus: codeable.optional(),
  code: codeable,
  subject: reference,
  onsetDateTime: dateTime.optional(),
  recordedDate: dateTime.optional(),
});

export const procedureSchema = z.object({
  resourceType: z.literal('Procedure'),
  ...base,
  status: s(30),
  code: codeable,
  subject: reference,
  encounter: reference.optional(),
  performedDateTime: dateTime.optional(),
  performedPeriod: period.optional(),
  performer: arr(z.object({ actor: reference })).optional(),
});

export const allergySchema = z.object({
  resourceType: z.literal('AllergyIntolerance'),
  ...base,
  clinicalStatus: codeable.optional(),
  criticality: z.enum(['low', 'high', 'unable-to-assess']).optional(),
  code: codeable,
  patient: reference,
  recordedDate: dateTime.optional(),
  onsetDateTime: dateTime.optional(),
  recorder: reference.optional(),
  reaction: arr(z.object({ manifestation: arr(codeable) })).optional(),
});

export const medicationRequestSchema = z.object({
  resourceType: z.literal('MedicationRequest'),
  ...base,
  status: s(30),
  intent: s(30),
  category: arr(codeable).optional(),
  medicationCodeableConcept: codeable,
  subject: reference,
  encounter: reference.optional(),
  authoredOn: dateTime.optional(),
  requester: reference.optional(),
  dosageInstruction: arr(z.object({ text: s(LIMITS.text).optional() })).optional(),
  dispenseRequest: z.object({ validityPeriod: period.optional() }).optional(),
});

export const observationSchema = z.object({
  resourceType: z.literal('Observation'),
  ...base,
  status: s(30),
  code: codeable,
  subject: reference,
  effectiveDateTime: dateTime.optional(),
  effectivePeriod: period.optional(),
  issued: dateTime.optional(),
  valueQuantity: quantity.optional(),
  valueString: s(LIMITS.text).optional(),
  referenceRange: arr(z.object({ low: quantity.optional(), high: quantity.optional() }), 5).optional(),
});

export const attachmentSchema = z.object({
  contentType: s(LIMITS.code).optional(),
  data: z.string().max(LIMITS.attachment).optional(),
  url: s(LIMITS.uri).optional(),
  title: s(LIMITS.short).optional(),
  creation: dateTime.optional(),
});

export const documentReferenceSchema = z.object({
  resourceType: z.literal('DocumentReference'),
  ...base,
  masterIdentifier: identifier.optional(),
  status: s(30),
  docStatus: z.enum(['preliminary', 'final', 'amended', 'entered-in-error']).optional(),
  type: codeable.optional(),
  subject: reference,
  date: dateTime.optional(),
  author: arr(reference).optional(),
  authenticator: reference.optional(),
  description: s(LIMITS.short).optional(),
  content: arr(z.object({ attachment: attachmentSchema }), 5).min(1),
  context: z.object({ encounter: arr(reference, 5).optional(), period: period.optional() }).optional(),
});

export const binarySchema = z.object({
  resourceType: z.literal('Binary'),
  id: s(64).optional(),
  contentType: s(LIMITS.code),
  data: z.string().max(LIMITS.attachment).optional(),
});

export type FhirPatient = z.infer<typeof patientSchema>;
export type FhirEncounter = z.infer<typeof encounterSchema>;
export type FhirCondition = z.infer<typeof conditionSchema>;
export type FhirProcedure = z.infer<typeof procedureSchema>;
export type FhirAllergy = z.infer<typeof allergySchema>;
export type FhirMedicationRequest = z.infer<typeof medicationRequestSchema>;
export type FhirObservation = z.infer<typeof observationSchema>;
export type FhirDocumentReference = z.infer<typeof documentReferenceSchema>;
export type FhirBinary = z.infer<typeof binarySchema>;
export type FhirReference = z.infer<typeof reference>;
export type FhirIdentifier = z.infer<typeof identifier>;

export const SCHEMAS = {
  Patient: patientSchema,
  Encounter: encounterSchema,
  Condition: conditionSchema,
  Procedure: procedureSchema,
  AllergyIntolerance: allergySchema,
  MedicationRequest: medicationRequestSchema,
  Observation: observationSchema,
  DocumentReference: documentReferenceSchema,
  Binary: binarySchema,
} as const;

export type SupportedType = keyof typeof SCHEMAS;

const TYPE_NAMES: Record<string, string> = {
  string: 'texte',
  number: 'nombre',
  object: 'objet',
  array: 'liste',
  boolean: 'booléen',
};

/** One French sentence for the first zod issue of a resource. */
export function frenchIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'ressource invalide';
  const where = issue.path.length ? `champ ${formatPath(issue.path)}` : 'ressource';
  switch (issue.code) {
    case 'invalid_type':
      return `${where} : ${issue.message.endsWith('received undefined') ? 'obligatoire et absent' : `type attendu ${TYPE_NAMES[issue.expected] ?? issue.expected}`}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${where} : texte trop long (${issue.maximum} caractères au maximum)`
        : `${where} : trop d'éléments (${issue.maximum} au maximum)`;
    case 'too_small':
      return `${where} : au moins ${issue.minimum} élément(s) attendu(s)`;
    case 'invalid_format':
      return `${where} : format invalide${/[dD]ate/.test(String(issue.path.at(-1))) ? ' (date FHIR attendue, ex. 2024-03-28)' : ''}`;
    case 'invalid_value':
      return `${where} : valeur non reconnue (attendu : ${issue.values.map(String).join(', ')})`;
    default:
      return `${where} : valeur invalide`;
  }
}

function formatPath(path: PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('');
}
