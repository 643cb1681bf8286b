import type Dexie from 'dexie';
import type { Transaction } from 'dexie';

/**
 * Version 3: document content moves to its own table so listing a chart's documents never
 * loads megabytes of PDF/CDA.
 */
export const V3_STORES = {
  documentContents: 'id, patientId',
};

const BATCH = 500;

/** Moves `content` of each v1/v2 document row into documentContents, batch by batch. */
export async function upgradeV3(tx: Transaction): Promise<void> {
  const documents = tx.table('documents');
  const contents = tx.table('documentContents');
  let lastKey: string | undefined;
  for (;;) {
    const coll = lastKey === undefined ? documents.orderBy(':id') : documents.where(':id').above(lastKey);
    const rows = (await coll.limit(BATCH).toArray()) as Record<string, unknown>[];
    if (rows.length === 0) return;
    lastKey = rows[rows.length - 1]!.id as string;
    const moved = [];
    const updated = [];
    for (const row of rows) {
      if (!('content' in row)) continue;
      const { content, ...meta } = row;
      if (content !== undefined && content !== null) {
        moved.push({ id: row.id, patientId: row.patientId, kind: row.contentKind ?? 'text', data: content });
      }
      updated.push(meta);
    }
    await contents.bulkPut(moved);
    await documents.bulkPut(updated);
  }
}

export function declareV3(db: Dexie): void {
  db.version(3).stores(V3_STORES).upgrade(upgradeV3);
}
