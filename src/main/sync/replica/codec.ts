import type { RecordRows } from '../../../shared/record/types';
import type { BatchMeta, RowTable } from './store';

/** One change-log line: the batch the renderer reads, and what main keeps to itself (`meta`). */
export interface LogLine {
  seq: number;
  upserts: RecordRows;
  deletes?: Partial<Record<RowTable, string[]>>;
  meta?: BatchMeta;
}

const BYTES_KEY = '$b64';

/** JSON with PDF bytes as `{ $b64 }`: the log is text, a document's content may be binary. */
export function encodeLine(line: LogLine): string {
  return JSON.stringify(line, function (this: Record<string, unknown>, key, value: unknown) {
    const original = this[key];
    return original instanceof Uint8Array ? { [BYTES_KEY]: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') } : value;
  });
}

export function decodeLine(text: string): LogLine {
  const line = JSON.parse(text) as LogLine;
  if (typeof line.seq !== 'number' || typeof line.upserts !== 'object' || line.upserts === null) throw new Error('ligne de réplique invalide');
  for (const row of line.upserts.documentContents ?? []) {
    const data = row.data as unknown;
    if (data && typeof data === 'object' && typeof (data as Record<string, unknown>)[BYTES_KEY] === 'string') {
      row.data = new Uint8Array(Buffer.from((data as Record<string, string>)[BYTES_KEY]!, 'base64'));
    }
  }
  return line;
}
