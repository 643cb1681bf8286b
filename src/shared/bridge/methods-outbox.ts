import { z } from 'zod';
import { UNIT_BOUND_ROLES } from '../authz/roles';
import type { PatientRow, RecordRows } from '../record/types';
import { method } from './define';

/**
 * The workstation's outbox as the "Synchronisation" panel shows it: each local write on its way to the hospital
 * server (en attente, envoi en cours, envoyé, échec, conflit, nouvel essai à HH:MM), a retry, and the choice
 * between the two versions of a conflict (mine is re-sent on the server's version; theirs replaces mine).
 */
const rows = z.custom<RecordRows>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), { message: 'lignes invalides' });
const patientRow = z.custom<PatientRow>((v) => typeof v === 'object' && v !== null && typeof (v as { id?: unknown }).id === 'string', {
  message: 'identité invalide',
});

export const OutboxItemSchema = z.object({
  id: z.string(),
  label: z.string(),
  state: z.enum(['pending', 'sending', 'sent', 'failed', 'conflict']),
  /** The state in French, with the retry time ("Nouvel essai à 14:05") or the reason of a failure. */
  status: z.string(),
  createdAt: z.string(),
  attempts: z.number().int().nonnegative(),
  patientIds: z.array(z.string()),
  retryAt: z.string().optional(),
  lastError: z.string().optional(),
  sentAt: z.string().optional(),
  conflict: z.object({ mine: patientRow, theirs: z.object({ row: patientRow.nullable(), versionId: z.string() }) }).optional(),
});
export type OutboxItemView = z.infer<typeof OutboxItemSchema>;

const ItemId = z.object({ id: z.string().uuid() }).strict();

export const outboxMethods = {
  'sync.outbox.list': method({
    summary: 'This workstation’s writes on their way to the hospital server, with their state.',
    input: z.object({}).strict(),
    output: z.object({ items: z.array(OutboxItemSchema) }),
    access: UNIT_BOUND_ROLES,
    scope: 'none',
    passive: true,
  }),
  'sync.outbox.retry': method({
    summary: 'Sends a failed (or waiting) write again now.',
    input: ItemId,
    output: z.object({ item: OutboxItemSchema }),
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
  'sync.conflict.resolve': method({
    summary: 'Resolves a version conflict: keep mine (re-sent on the server’s version) or take theirs (mine dropped).',
    input: z.object({ id: z.string().uuid(), keep: z.enum(['mine', 'theirs']) }).strict(),
    output: z.object({ item: OutboxItemSchema, rows, seq: z.number().int().positive().nullable() }),
    access: UNIT_BOUND_ROLES,
    scope: 'none',
  }),
} as const;
