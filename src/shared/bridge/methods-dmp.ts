import { z } from 'zod';
import { method } from './define';
import { PatientRefSchema } from './patient-ref';
import { DMP_EMERGENCY_ACCESS_ROLES, DMP_READER_ROLES, DMP_VISIBILITY_ROLES } from '../authz/roles';
import { dmpEmergencyRefusal, dmpReadRefusal, dmpVisibilityRefusal } from '../authz/dmp-refusals';

/**
 * The DMP panel's bridge methods (DOMAIN.md §2–3). Every call names the patient
 * (unit scope is checked by main), the identity status of that patient (the INS
 * is used only when qualified) and the access mode it is made in. Main's DMP
 * service refuses any document operation without a grant of this session and
 * journals every call, whatever its outcome.
 */

export const DMP_ACCESS_MODES = ['normal', 'bris_de_glace', 'centre_15'] as const;
export type DmpAccessMode = (typeof DMP_ACCESS_MODES)[number];

export const DMP_ACCESS_MODE_LABELS: Record<DmpAccessMode, string> = {
  normal: 'Accès normal',
  bris_de_glace: 'Accès en mode bris de glace',
  centre_15: 'Accès en mode centre 15 (régulation)',
};

/** The patient's identity status and strict traits, as the local record holds them. */
export const DmpIdentitySchema = z
  .object({
    status: z.enum(['PROV', 'RECUP', 'VALI', 'QUAL']),
    birthFamilyName: z.string().min(1).max(100).optional(),
    givenNames: z.string().min(1).max(200).optional(),
    /** YYYY-MM-DD */
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
    sex: z.enum(['M', 'F', 'U']).optional(),
  })
  .strict();
export type DmpIdentity = z.infer<typeof DmpIdentitySchema>;

const base = { patient: PatientRefSchema, identity: DmpIdentitySchema };
const withMode = { ...base, accessMode: z.enum(DMP_ACCESS_MODES) };

const DocumentRefSchema = z
  .object({
    uniqueId: z.string().min(1).max(200),
    repositoryUniqueId: z.string().min(1).max(200),
    entryUUID: z.string().min(1).max(200).optional(),
  })
  .strict();

const CodedSchema = z.object({ code: z.string(), codeSystem: z.string().optional(), display: z.string().optional() });
const PersonSchema = z.object({ id: z.string().optional(), family: z.string().optional(), given: z.string().optional(), raw: z.string() });

export const DmpEntrySchema = z.object({
  entryUUID: z.string(),
  uniqueId: z.string(),
  repositoryUniqueId: z.string(),
  title: z.string(),
  comments: z.string().optional(),
  mimeType: z.string(),
  typeCode: CodedSchema.optional(),
  classCode: CodedSchema.optional(),
  formatCode: CodedSchema.optional(),
  practiceSettingCode: CodedSchema.optional(),
  visibility: z.array(z.enum(['MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'])),
  availabilityStatus: z.enum(['approved', 'deprecated', 'archived', 'deleted']),
  creationTime: z.string().optional(),
  serviceStartTime: z.string().optional(),
  serviceStopTime: z.string().optional(),
  submissionTime: z.string().optional(),
  /** "Prénom NOM" of the first author, or its raw XCN. */
  author: z.string().optional(),
  authorSpecialty: z.string().optional(),
  organisation: z.string().optional(),
  legalAuthenticator: PersonSchema.optional(),
  size: z.number().optional(),
  replacedBy: z.string().optional(),
  replaces: z.string().optional(),
  patientAuthored: z.boolean(),
});
export type DmpEntry = z.infer<typeof DmpEntrySchema>;

const AccessSchema = z.object({
  mode: z.enum(DMP_ACCESS_MODES),
  source: z.enum(['td02_valide', 'td03_added', 'bris_de_glace', 'centre_15']),
});
export type DmpAccess = z.infer<typeof AccessSchema>;

const EnvironmentSchema = z.object({ test: z.boolean(), label: z.string() });

export const DmpStatusSchema = z.discriminatedUnion('insQualified', [
  z.object({
    insQualified: z.literal(false),
    identityStatus: z.enum(['PROV', 'RECUP', 'VALI', 'QUAL']),
    environment: EnvironmentSchema,
  }),
  z.object({
    insQualified: z.literal(true),
    exists: z.boolean(),
    authorization: z.enum(['NON_EXISTE', 'INTERDIT', 'EXPIRE', 'VALIDE']),
    oppositions: z.object({ brisDeGlace: z.boolean(), centre15: z.boolean() }),
    /** The grant this session holds for the patient, if any (VALIDE status, consent, emergency). */
    access: AccessSchema.nullable(),
    /** Whether this workstation is a SAMU regulation post (centre-15 access possible). */
    regulation: z.boolean(),
    environment: EnvironmentSchema,
  }),
]);
export type DmpStatusView = z.infer<typeof DmpStatusSchema>;

const RetrievedSchema = z.object({
  uniqueId: z.string(),
  mimeType: z.string(),
  /** text: UTF-8 XML (CDA); base64: any other content (a PDF, an image). */
  encoding: z.enum(['text', 'base64']),
  content: z.string(),
  size: z.number().int().nonnegative(),
});
export type DmpRetrieved = z.infer<typeof RetrievedSchema>;

export const dmpMethods = {
  'dmp.status': method({
    summary: 'TD0.2: whether the patient has a DMP, the authorisation status and oppositions (no document).',
    input: z.object(base).strict(),
    output: DmpStatusSchema,
    access: DMP_READER_ROLES,
    roleRefusal: dmpReadRefusal,
    scope: 'patient',
  }),
  'dmp.consent': method({
    summary: 'TD0.3 after the user confirmed the patient is informed and consents.',
    input: z.object({ ...base, patientInformedAndConsents: z.literal(true) }).strict(),
    output: z.object({ access: AccessSchema }),
    access: DMP_READER_ROLES,
    roleRefusal: dmpReadRefusal,
    scope: 'patient',
  }),
  'dmp.refuse': method({
    summary: 'Records that the patient refuses access to their DMP; nothing is read.',
    input: z.object(base).strict(),
    output: z.object({ recorded: z.literal(true), seq: z.number().int().nonnegative() }),
    access: DMP_READER_ROLES,
    roleRefusal: dmpReadRefusal,
    scope: 'patient',
  }),
  'dmp.emergencyAccess': method({
    summary: 'Declares break-glass (justified) or centre-15 access for this session.',
    input: z
      .object({ ...base, mode: z.enum(['bris_de_glace', 'centre_15']), justification: z.string().trim().max(1000).optional() })
      .strict(),
    output: z.object({ access: AccessSchema, oppositions: z.object({ brisDeGlace: z.boolean(), centre15: z.boolean() }) }),
    access: DMP_EMERGENCY_ACCESS_ROLES,
    roleRefusal: dmpEmergencyRefusal,
    scope: 'patient',
  }),
  'dmp.documents': method({
    summary: 'ITI-18 FindDocuments: the patient’s document list (approved, archived, replaced).',
    input: z.object(withMode).strict(),
    output: z.object({ entries: z.array(DmpEntrySchema) }),
    access: DMP_READER_ROLES,
    roleRefusal: dmpReadRefusal,
    scope: 'patient',
  }),
  'dmp.retrieve': method({
    summary: 'ITI-43 RetrieveDocumentSet: one document’s content, for display only.',
    input: z.object({ ...withMode, document: DocumentRefSchema }).strict(),
    output: RetrievedSchema,
    access: DMP_READER_ROLES,
    roleRefusal: dmpReadRefusal,
    scope: 'patient',
  }),
  'dmp.integrate': method({
    summary: 'Copies one DMP document into the local record: retrieves it, checks the patient, journals.',
    input: z.object({ ...withMode, document: DocumentRefSchema }).strict(),
    output: RetrievedSchema.extend({ seq: z.number().int().nonnegative() }),
    access: DMP_READER_ROLES,
    roleRefusal: dmpReadRefusal,
    scope: 'patient',
  }),
  'dmp.setVisibility': method({
    summary: 'ITI-57: hides a document from professionals or the patient (TD3.3a/b).',
    input: z
      .object({
        ...withMode,
        entryUUID: z.string().min(1).max(200),
        maskedToProfessionals: z.boolean().optional(),
        invisibleToPatient: z.boolean().optional(),
        invisibleToLegalRepresentatives: z.boolean().optional(),
      })
      .strict(),
    output: z.object({ entry: DmpEntrySchema }),
    access: DMP_VISIBILITY_ROLES,
    roleRefusal: dmpVisibilityRefusal,
    scope: 'patient',
  }),
} as const;
