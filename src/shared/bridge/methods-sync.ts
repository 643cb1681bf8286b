import { z } from 'zod';
import { ROLES, UNIT_BOUND_ROLES } from '../authz/roles';
import { ROW_TABLES, type DocumentContentRow, type RecordRows } from '../record/types';
import { method } from './define';

/**
 * A document's content as it crosses the bridge: CDA or text as a string, PDF bytes as `{ base64 }` (the browser
 * host's transport is JSON, where a Uint8Array would not survive). The renderer decodes the base64 into bytes
 * before writing the row to its cache.
 */
export type WireDocumentContentRow = Omit<DocumentContentRow, 'data'> & { data: string | { base64: string } };
export type WireRecordRows = Omit<RecordRows, 'documentContents'> & { documentContents?: WireDocumentContentRow[] };

const tableEnum = z.enum(ROW_TABLES);

/** The rows are main's own output (mapped and checked when pulled): a shape check, not a field-by-field parse of 5,000 rows. */
const wireRows = z.custom<WireRecordRows>(
  (value) =>
    typeof value === 'object' && value !== null && Object.entries(value).every(([k, v]) => tableEnum.safeParse(k).success && Array.isArray(v)),
  { message: 'lignes de réplique invalides' },
);

export const ChangeBatchSchema = z.object({
  seq: z.number().int().positive(),
  upserts: wireRows,
  deletes: z.partialRecord(tableEnum, z.array(z.string())).optional(),
});
export type WireChangeBatch = z.infer<typeof ChangeBatchSchema>;

export const SyncStatusSchema = z.object({
  online: z.boolean(),
  server: z.object({ label: z.string(), test: z.boolean() }),
  lastPullAt: z.string().nullable(),
  firstReplica: z.object({ done: z.number().int().nonnegative(), total: z.number().int().nonnegative().nullable(), phase: z.string() }).nullable(),
  pending: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  conflicts: z.number().int().nonnegative(),
  head: z.number().int().nonnegative(),
});
export type SyncStatus = z.infer<typeof SyncStatusSchema>;

export const syncMethods = {
  'sync.changes': method({
    summary: 'Change-log batches of the workstation replica after a seq, for the renderer’s cache (replication, not journalled per call).',
    input: z.object({ after: z.number().int().nonnegative(), maxRows: z.number().int().positive().max(50_000).optional() }).strict(),
    output: z.object({
      /** Replica identity: a different epoch means wipe the cache and restart at 0. */
      epoch: z.string(),
      head: z.number().int().nonnegative(),
      batches: z.array(ChangeBatchSchema),
    }),
    access: UNIT_BOUND_ROLES,
    scope: 'none',
    passive: true,
  }),
  'sync.status': method({
    summary: 'State of the hospital sync for the header: online, last pull, first replica progress, outbox counts.',
    input: z.object({}).strict(),
    output: SyncStatusSchema,
    access: ROLES,
    scope: 'none',
    passive: true,
  }),
} as const;
