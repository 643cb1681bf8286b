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
const Filter = z
  .object({
    from: Day.optional(),
    to: Day.optional(),
    patient: z.string().trim().max(40).optional(),
    userId: z.string().trim().max(64).optional(),
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
    input: z.object({ patient: z.string().trim().min(1, 'Saisissez l’IPP ou l’INS du patient.').max(40), from: Day.optional(), to: Day.optional() }).strict(),
    output: z.object({ fileName: z.string(), pdfBase64: z.string(), accesses: z.number() }),
    access: ['dpo'],
    scope: 'none',
  }),
} as const;
