import type { RecordDb } from '../database';
import { ROW_TABLES } from '../types';
import { importBatch } from './batch';
import { mapChunk, type MapContext } from './map-chunk';
import { ImportError, emptyImported, type ImportReport } from './report';
import type { Parsed } from './validate';

/**
 * Phase 4: map and write chunk by chunk, each chunk in one transaction. The next chunk is mapped
 * while the previous one commits; at most one write in flight. Progress is reported per committed chunk.
 */
export async function writeChunks(
  db: RecordDb,
  parsed: readonly (Parsed | undefined)[],
  ctx: MapContext,
  chunkSize: number,
  onProgress: ((done: number, total: number) => void) | undefined,
): Promise<ImportReport['imported']> {
  const total = parsed.length;
  const imported = emptyImported();
  let pending: Promise<unknown> = Promise.resolve();
  let done = 0;
  const onDone = () => {
    if (done > 0) onProgress?.(done, total);
  };
  for (let start = 0; start < total; start += chunkSize) {
    const end = Math.min(total, start + chunkSize);
    const rows = mapChunk(parsed, start, end, ctx);
    await pending;
    onDone();
    pending = importBatch(db, rows).then(
      () => {
        for (const t of ROW_TABLES) imported[t] += rows[t].length;
        done = end;
      },
      (err: unknown) => {
        throw new ImportError(
          `Écriture interrompue à l'entrée ${start} : ${err instanceof Error ? err.message : String(err)}. ` +
            `Les ${start} entrées précédentes sont enregistrées ; relancez l'import (il est sans doublon).`,
        );
      },
    );
  }
  await pending;
  onDone();
  return imported;
}
