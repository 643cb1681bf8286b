import type Dexie from 'dexie';
import { declareV1 } from './v1-initial';
import { declareV2 } from './v2-search-tokens';
import { declareV3 } from './v3-document-contents';
import { declareV4 } from './v4-sync-cache';

/** Every schema version in order; a new version is one more small file appended here. */
export const MIGRATIONS: readonly ((db: Dexie) => void)[] = [declareV1, declareV2, declareV3, declareV4];

export const CURRENT_VERSION = MIGRATIONS.length;

/** Declares versions 1..upTo (tests open older schemas this way). */
export function declareVersions(db: Dexie, upTo: number = CURRENT_VERSION): void {
  for (const declare of MIGRATIONS.slice(0, upTo)) declare(db);
}
