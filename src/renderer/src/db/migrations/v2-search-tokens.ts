import type Dexie from 'dexie';
import type { Transaction } from 'dexie';
import { searchTokens } from '../../../../shared/text/normalise';

/** Version 2: multi-entry `tokens` index for accent-insensitive name prefix search. */
export const V2_STORES = {
  patients: 'id, &ipp, insNir, birthDate, lastOpenedAt, linkedTo, *tokens',
};

/** Backfills tokens of every existing patient from its names. */
export async function upgradeV2(tx: Transaction): Promise<void> {
  await tx
    .table('patients')
    .toCollection()
    .modify((p: Record<string, unknown>) => {
      p.tokens = searchTokens({
        birthFamilyName: p.birthFamilyName as string | undefined,
        usedFamilyName: p.usedFamilyName as string | undefined,
        birthGivenNames: p.birthGivenNames as string | undefined,
        usedGivenName: p.usedGivenName as string | undefined,
      });
    });
}

export function declareV2(db: Dexie): void {
  db.version(2).stores(V2_STORES).upgrade(upgradeV2);
}
