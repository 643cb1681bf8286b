export { createSyncClient, FeedError, type AppliedEvent, type SyncClient, type SyncClientOptions, type SyncClientState } from './client';
export { applyPage, decodeContents, FeedContentError, putRows } from './apply';
export type { ChangesPage, FeedBatch, FeedRows, FetchChanges, RowTable, WireContent } from './feed';
