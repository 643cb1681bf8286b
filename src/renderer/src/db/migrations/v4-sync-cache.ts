import type Dexie from 'dexie';

/**
 * Version 4: the record becomes the cache main fills from its replica (issue 11).
 * - `syncState` holds the change-feed cursor (replica epoch, last seq applied), written in the same
 *   transaction as the rows it accounts for.
 * - `ipp` is no longer a unique index: uniqueness is the hospital's and main's to enforce. A cache that
 *   refused a batch (an IPP moving between identities in two batches, a row imported here before) would
 *   stop replication for good.
 */
export const V4_STORES = {
  patients: 'id, ipp, insNir, birthDate, lastOpenedAt, linkedTo, *tokens',
  syncState: 'id',
};

export function declareV4(db: Dexie): void {
  db.version(4).stores(V4_STORES);
}
