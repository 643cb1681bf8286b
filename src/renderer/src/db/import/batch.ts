import type { RecordDb } from '../database';
import { ROW_TABLES, type RecordRows } from '../types';

export function countRows(rows: RecordRows): number {
  let n = 0;
  for (const t of ROW_TABLES) n += rows[t]?.length ?? 0;
  return n;
}

/**
 * Writes pre-mapped rows in ONE transaction (all or nothing) with bulkPut: the app's fast path,
 * used by the FHIR importer per chunk and by the seed/benchmark.
 */
export async function importBatch(db: RecordDb, rows: RecordRows): Promise<number> {
  const tables = ROW_TABLES.filter((t) => (rows[t]?.length ?? 0) > 0);
  if (tables.length === 0) return 0;
  await db.transaction('rw', tables.map((t) => db.table(t)), async () => {
    // Issue every bulkPut at once: IndexedDB queues the requests; awaiting each would add latency.
    await Promise.all(tables.map((t) => db.table(t).bulkPut(rows[t] as unknown[])));
  });
  return countRows(rows);
}

/** The same write with the raw IndexedDB API on the same object stores, for the benchmark. */
export function rawImportBatch(idb: IDBDatabase, rows: RecordRows): Promise<number> {
  const tables = ROW_TABLES.filter((t) => (rows[t]?.length ?? 0) > 0);
  if (tables.length === 0) return Promise.resolve(0);
  return new Promise((resolve, reject) => {
    const tx = idb.transaction(tables, 'readwrite');
    let firstError: DOMException | null = null;
    tx.oncomplete = () => resolve(countRows(rows));
    // A failed put aborts the transaction; the request's error says why.
    tx.onerror = (ev) => {
      firstError ??= (ev.target as IDBRequest).error;
    };
    tx.onabort = () => reject(tx.error ?? firstError ?? new Error('Écriture annulée par IndexedDB'));
    try {
      for (const t of tables) {
        const store = tx.objectStore(t);
        for (const row of rows[t]!) store.put(row);
      }
    } catch (err) {
      // put() throws synchronously on a row without a key: abort, or the puts already issued commit.
      tx.abort();
      reject(err);
    }
  });
}

/** Splits rows into batches of at most `size` rows, keeping table order. */
export function* chunkRows(rows: RecordRows, size: number): Generator<RecordRows> {
  let current: RecordRows = {};
  let n = 0;
  for (const t of ROW_TABLES) {
    const list = rows[t];
    if (!list) continue;
    for (let i = 0; i < list.length; ) {
      const take = Math.min(size - n, list.length - i);
      (current[t] ??= [] as never[]).push(...(list.slice(i, i + take) as never[]));
      i += take;
      n += take;
      if (n >= size) {
        yield current;
        current = {};
        n = 0;
      }
    }
  }
  if (n > 0) yield current;
}
