import type { SyncStatus, WireChangeBatch, WireRecordRows } from '../../shared/bridge/methods-sync';
import type { outboxMethods } from '../../shared/bridge/methods-outbox';
import type { HandlerSlice } from '../host/handlers';
import type { ChangeBatch, ReplicaStore } from './replica/store';

export const DEFAULT_MAX_ROWS = 5000;

/** PDF bytes cross as `{ base64 }` (JSON transport of the browser host); text content as is. */
export function toWire(batch: ChangeBatch): WireChangeBatch {
  const contents = batch.upserts.documentContents;
  const upserts: WireRecordRows = contents
    ? {
        ...batch.upserts,
        documentContents: contents.map((row) =>
          typeof row.data === 'string' ? { ...row, data: row.data } : { ...row, data: { base64: Buffer.from(row.data.buffer, row.data.byteOffset, row.data.byteLength).toString('base64') } },
        ),
      }
    : (batch.upserts as WireRecordRows);
  return { seq: batch.seq, upserts, ...(batch.deletes ? { deletes: batch.deletes } : {}) };
}

/**
 * The change feed the renderer's cache is filled from, and the sync state its header shows. Replication is not a
 * consultation: reading batches is not journalled per call (opening a chart is).
 */
/** The outbox's methods (sync.outbox.*, sync.conflict.resolve) have their own handlers (src/main/sync/outbox/handlers.ts). */
export function createSyncHandlers(deps: { replica: ReplicaStore; status: () => SyncStatus }): Omit<HandlerSlice<'sync'>, keyof typeof outboxMethods> {
  return {
    'sync.changes': async ({ after, maxRows }) => {
      const batches = await deps.replica.read(after, maxRows ?? DEFAULT_MAX_ROWS);
      return { epoch: deps.replica.epoch, head: deps.replica.head(), batches: batches.map(toWire) };
    },
    'sync.status': async () => deps.status(),
  };
}
