import { base64ToBytes } from '../../../shared/text/base64';
import type { RecordDb, SyncStateRow } from '../db/database';
import { ROW_TABLES, type FeedBatch, type FeedRows, type RowTable } from './feed';

/** Tables the cache holds for main (the feed's tables plus the legacy identity links), wiped on a new epoch. */
const CACHE_TABLES = [...ROW_TABLES, 'identityLinks'] as const;

export class FeedContentError extends Error {
  constructor(id: string) {
    super(`Contenu du document ${id} illisible (base64 invalide) : le lot n’est pas appliqué.`);
    this.name = 'FeedContentError';
  }
}

/**
 * PDF content arrives as `{ base64 }`: decoded in place, before the transaction opens (a decode
 * inside it would hold the transaction across work IndexedDB does not need).
 */
export function decodeContents(batches: readonly FeedBatch[]): void {
  for (const b of batches) {
    for (const row of b.upserts.documentContents ?? []) {
      const data = row.data;
      if (typeof data !== 'object' || data === null || data instanceof Uint8Array) continue;
      const b64: unknown = data.base64;
      const bytes = typeof b64 === 'string' ? base64ToBytes(b64) : undefined;
      if (!bytes) throw new FeedContentError(row.id);
      row.data = bytes;
    }
  }
}

export interface ApplyPlan {
  epoch: string;
  /** Empty the cache first (the replica's epoch changed). */
  wipe: boolean;
  batches: readonly FeedBatch[];
  appliedAt: number;
}

/**
 * Writes a page of the feed in ONE IndexedDB transaction, the cursor with it: after a crash either the
 * rows and their seq are both there or neither is. Batches go in order (a row upserted then deleted
 * stays deleted).
 */
export async function applyPage(db: RecordDb, plan: ApplyPlan): Promise<number> {
  const last = plan.batches.at(-1);
  const tables = new Set<string>(['syncState']);
  if (plan.wipe) for (const t of CACHE_TABLES) tables.add(t);
  for (const b of plan.batches) addTables(tables, b);
  return writeTx(db, tables, (tx) => {
    if (plan.wipe) for (const t of CACHE_TABLES) tx.objectStore(t).clear();
    let rows = 0;
    for (const b of plan.batches) rows += writeBatch(tx, b);
    const state: SyncStateRow = { id: 'feed', epoch: plan.epoch, seq: last ? last.seq : 0, appliedAt: plan.appliedAt };
    tx.objectStore('syncState').put(state);
    return rows;
  });
}

/**
 * Rows main answered a local write with, shown at once. The cursor does not move: the same rows come
 * again in their feed batch (an idempotent upsert), and the batches before it must not be skipped.
 */
export async function putRows(db: RecordDb, rows: FeedRows): Promise<number> {
  const batch: FeedBatch = { seq: 0, upserts: rows };
  decodeContents([batch]);
  const tables = addTables(new Set<string>(), batch);
  if (tables.size === 0) return 0;
  return writeTx(db, tables, (tx) => writeBatch(tx, batch));
}

function addTables(tables: Set<string>, b: FeedBatch): Set<string> {
  for (const t of ROW_TABLES) if (b.upserts[t]?.length || b.deletes?.[t]?.length) tables.add(t);
  return tables;
}

/**
 * One readwrite transaction over `tables`, filled synchronously by `fill`: it commits all or nothing.
 * Raw IndexedDB requests on Dexie's own connection: Dexie's bulkPut adds per-row work (result keys,
 * liveQuery range sets) this app never reads, and ingest must keep up with raw writes.
 */
async function writeTx(db: RecordDb, tables: Set<string>, fill: (tx: IDBTransaction) => number): Promise<number> {
  if (!db.isOpen()) await db.open();
  const idb = db.backendDB();
  return new Promise<number>((resolve, reject) => {
    const tx = idb.transaction([...tables], 'readwrite');
    let rows = 0;
    let firstError: DOMException | null = null;
    tx.oncomplete = () => resolve(rows);
    tx.onerror = (ev) => {
      firstError ??= (ev.target as IDBRequest).error;
    };
    tx.onabort = () => reject(tx.error ?? firstError ?? new Error('Écriture annulée par IndexedDB'));
    try {
      rows = fill(tx);
    } catch (err) {
      // put() throws synchronously on a row it cannot key or clone: without abort() the puts already
      // issued would commit, half a page with the cursor left behind.
      tx.abort();
      reject(new Error(`Lot refusé par le cache local : ${err instanceof Error ? err.message : String(err)}`));
    }
  });
}

function writeBatch(tx: IDBTransaction, b: FeedBatch): number {
  let n = 0;
  for (const t of ROW_TABLES) {
    const list = b.upserts[t];
    if (list?.length) {
      const store = tx.objectStore(t);
      for (const row of list) store.put(row);
      n += list.length;
    }
    const gone = b.deletes?.[t as RowTable];
    if (gone?.length) {
      const store = tx.objectStore(t);
      for (const id of gone) store.delete(id);
      n += gone.length;
    }
  }
  return n;
}
