import { z } from 'zod';
import { method } from './define';

const Entry = z.object({
  seq: z.number().int().nonnegative(),
  time: z.string(),
  type: z.string(),
  action: z.enum(['C', 'R', 'U', 'D', 'E']),
  outcome: z.enum(['success', 'failure', 'denied']),
  workstationId: z.string(),
  agent: z.object({ userId: z.string(), name: z.string(), role: z.string(), rpps: z.string().optional() }).optional(),
  patient: z.object({ ipp: z.string().optional(), ins: z.string().optional() }).optional(),
  entity: z.object({ type: z.string(), id: z.string() }).optional(),
  purposeOfUse: z
    .object({ code: z.string(), justification: z.string().optional(), reason: z.string().optional() })
    .optional(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
});
export type AuditEntryView = z.infer<typeof Entry>;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Date attendue au format AAAA-MM-JJ.');

/** A NIR (13 characters, Corsica's 2A/2B included, or 15 with its key), optionally "@OID" as the journal stores it. */
export const INS_KEY = /^[0-9]{6}[0-9AB][0-9]{6}([0-9]{2})?(@[0-9.]{1,64})?$/i;

/**
 * A patient as the DPO designates them: IPP and/or INS (NIR, with or without its OID). A name search is
 * resolved to these by the identity index the screen reads; a filter, not an authorisation.
 */
export const PatientKey = z
  .object({
    ipp: z.string().trim().regex(/^[0-9A-Za-z]{1,20}$/, 'IPP invalide : chiffres et lettres seulement.').optional(),
    ins: z.string().trim().regex(INS_KEY, 'INS invalide : le NIR comporte 13 ou 15 caractères.').optional(),
  })
  .strict()
  .refine((p) => p.ipp || p.ins, 'Indiquez l’IPP ou l’INS du patient.');
export type PatientKeyView = z.infer<typeof PatientKey>;

const Filter = z
  .object({
    from: Day.optional(),
    to: Day.optional(),
    /** An IPP or an INS typed by the DPO (spaces allowed in an INS). */
    patient: z.string().trim().max(40).optional(),
    /** The patients a name search found: any of them. */
    patients: z.array(PatientKey).max(50).optional(),
    userId: z.string().trim().max(64).optional(),
    /** Part of a login or a user's name, any case (also the identifier typed on a failed login). */
    user: z.string().trim().max(64).optional(),
    type: z.string().trim().max(64).optional(),
    breakGlass: z.boolean().optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(200),
  })
  .strict();

const VerifyJob = z.object({
  jobId: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  doneBytes: z.number(),
  totalBytes: z.number(),
  result: z
    .object({
      ok: z.boolean(),
      entries: z.number(),
      checkpoints: z.number(),
      unsignedTail: z.number(),
      firstBadSeq: z.number().optional(),
      reason: z.string().optional(),
    })
    .optional(),
  error: z.string().optional(),
});

export const REVIEW_STATUSES = ['a_revoir', 'revu', 'justifie', 'escalade'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];
export const REVIEW_STATUS_LABELS: Record<ReviewStatus, string> = { a_revoir: 'À revoir', revu: 'Revu', justifie: 'Justifié', escalade: 'Escaladé' };

const Review = z.object({ status: z.enum(REVIEW_STATUSES), comment: z.string(), reviewer: z.object({ userId: z.string(), name: z.string() }), at: z.string() });
const Episode = z.object({
  id: z.string(),
  kind: z.enum(['local', 'dmp']),
  agent: z.object({ userId: z.string(), name: z.string(), role: z.string() }),
  patient: z.object({ ipp: z.string().optional(), ins: z.string().optional() }),
  purpose: z.object({ code: z.string(), reason: z.string().optional(), justification: z.string().optional() }),
  start: z.object({ seq: z.number(), time: z.string() }),
  end: z.object({ seq: z.number(), time: z.string(), ended: z.string().optional() }).optional(),
  accesses: z.array(z.object({ seq: z.number(), time: z.string(), type: z.string(), outcome: z.string() })),
  accessCount: z.number().int().nonnegative(),
  status: z.enum(REVIEW_STATUSES),
  reviews: z.array(Review),
});
export type BreakGlassEpisodeView = z.infer<typeof Episode>;

/** The identity printed on the patient's report, as the DPO picked it in the identity index. */
const ReportIdentity = z
  .object({
    name: z.string().trim().min(1).max(200),
    birthDate: Day.optional(),
    sex: z.enum(['M', 'F', 'U']).optional(),
  })
  .strict();

/** The data protection officer's tools: the journal only, never the record itself. */
export const auditMethods = {
  'audit.query': method({
    summary: 'Journal entries matching a filter, newest first, one page.',
    input: Filter,
    output: z.object({ entries: z.array(Entry), total: z.number().int().nonnegative() }),
    access: ['dpo'],
    scope: 'none',
  }),
  'audit.verifyStart': method({
    summary: 'Starts a full verification of the journal (tree, signatures, chain).',
    input: z.object({}).strict(),
    output: VerifyJob,
    access: ['dpo'],
    scope: 'none',
  }),
  'audit.verifyStatus': method({
    summary: 'Progress and verdict of a verification.',
    input: z.object({ jobId: z.string().max(64) }).strict(),
    output: VerifyJob,
    access: ['dpo'],
    scope: 'none',
  }),
  'audit.export': method({
    summary: 'Exports a period as a FHIR R4 AuditEvent Bundle or JSON lines, with its checkpoints.',
    input: z
      .object({ from: Day, to: Day, patient: z.string().trim().max(40).optional(), userId: z.string().trim().max(64).optional(), format: z.enum(['fhir', 'jsonl']) })
      .strict(),
    output: z.object({ fileName: z.string(), mimeType: z.string(), data: z.string(), entries: z.number(), checkpoints: z.number() }),
    access: ['dpo'],
    scope: 'none',
  }),
  'audit.accessReport': method({
    summary: '"Qui a consulté ce dossier ?": the patient-facing access report, as a PDF.',
    input: z
      .object({
        patient: z.union([z.string().trim().min(1, 'Saisissez l’IPP ou l’INS du patient.').max(40), PatientKey]),
        identity: ReportIdentity.optional(),
        from: Day.optional(),
        to: Day.optional(),
      })
      .strict(),
    output: z.object({ fileName: z.string(), pdfBase64: z.string(), accesses: z.number() }),
    access: ['dpo'],
    scope: 'none',
  }),
  'audit.breakGlassEpisodes': method({
    summary: 'Exceptional-access episodes (start, accesses, end) with their review status, newest first.',
    input: z.object({ status: z.enum(REVIEW_STATUSES).optional(), offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(200).default(50) }).strict(),
    output: z.object({ episodes: z.array(Episode), total: z.number().int().nonnegative(), counts: z.record(z.enum(REVIEW_STATUSES), z.number()) }),
    access: ['dpo'],
    scope: 'none',
  }),
  'audit.reviewEpisode': method({
    summary: 'Records the DPO’s conclusion on one exceptional-access episode (status and comment); journalled.',
    input: z
      .object({
        episodeId: z.string().regex(/^(local|dmp)-\d{1,12}$/, 'Épisode inconnu.'),
        status: z.enum(REVIEW_STATUSES, { message: 'Choisissez un statut : à revoir, revu, justifié ou escaladé.' }),
        comment: z.string().trim().max(2000, 'Commentaire trop long (2 000 caractères au plus).'),
      })
      .strict(),
    output: Episode,
    access: ['dpo'],
    scope: 'none',
  }),
} as const;
