import type { Result } from '../../../shared/bridge/result';
import type { DocumentContentRow, RecordRows } from '../../../shared/record/types';
import { ROW_TABLES } from '../../../shared/record/types';

export type RowTable = (typeof ROW_TABLES)[number];

/** PDF bytes cross the bridge as base64 (JSON over the browser host); decoded before they reach IndexedDB. */
export interface WireContent {
  base64: string;
}

export type FeedRows = Omit<RecordRows, 'documentContents'> & {
  documentContents?: (Omit<DocumentContentRow, 'data'> & { data: string | Uint8Array | WireContent })[];
};

/** One batch of main's change feed, as `sync.changes` sends it. */
export interface FeedBatch {
  seq: number;
  upserts: FeedRows;
  deletes?: Partial<Record<RowTable, string[]>>;
}

export interface ChangesPage {
  /** Identity of main's replica: another epoch means the cache is wiped and refilled from 0. */
  epoch: string;
  head: number;
  batches: FeedBatch[];
}

/** `sync.changes` of the bridge (injected so the client runs in tests and in the bench alike). */
export type FetchChanges = (input: { after: number; maxRows?: number }) => Promise<Result<ChangesPage>>;

export { ROW_TABLES };
