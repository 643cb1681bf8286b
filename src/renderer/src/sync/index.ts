export { createSyncClient, FeedError, type AppliedEvent, type SyncClient, type SyncClientOptions, type SyncClientState } from './client';
export { applyPage, decodeContents, FeedContentError } from './apply';
export type { ChangesPage, FeedBatch, FetchChanges, RowTable, WireContent } from './feed';
