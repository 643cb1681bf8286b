import type Dexie from 'dexie';
import type { Transaction } from 'dexie';

/** Version 2: multi-entry `tokens` index for accent-insensitive name prefix search. */
export const V2_STORES = {
  patients: 'id, &ipp, insNir, birthDate, lastOpenedAt, linkedTo, *tokens',
};

// Frozen copy of the name tokenisation as it was when version 2 shipped (shared/text/normalise.ts,
// commit 35ba62e). A migration must write what its version meant: if the live search folding
// changes, it needs a new version that recomputes tokens, not a silently different v2.
const LIGATURES: Record<string, string> = { œ: 'oe', æ: 'ae', ß: 'ss', ø: 'o', đ: 'd', ł: 'l', ı: 'i' };
const APOSTROPHES = /['\u2018\u2019\u02BC\u0060\u00B4]/g;

function fold(input: string): string {
  return input
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[œæßøđłı]/g, (c) => LIGATURES[c] ?? c)
    .replace(APOSTROPHES, "'");
}

function nameTokensV2(input: string): string[] {
  const out = new Set<string>();
  for (const word of fold(input).split(/[^a-z0-9'-]+/)) {
    if (!word) continue;
    const parts = word.split(/[-']+/).filter(Boolean);
    const joined = parts.join('');
    if (joined) out.add(joined);
    if (parts.length > 1) {
      const elision = word.includes("'");
      parts.forEach((p, i) => {
        if (elision && i < parts.length - 1 && p.length === 1) return;
        out.add(p);
      });
    }
  }
  return [...out];
}

/** Tokens of a v1 patient row: birth name, used name, all given names (v2's definition). */
export function tokensV2(row: Record<string, unknown>): string[] {
  const out = new Set<string>();
  for (const key of ['birthFamilyName', 'usedFamilyName', 'birthGivenNames', 'usedGivenName']) {
    const field = row[key];
    if (typeof field === 'string' && field) for (const t of nameTokensV2(field)) out.add(t);
  }
  return [...out];
}

/** Backfills tokens of every existing patient from its names. */
export async function upgradeV2(tx: Transaction): Promise<void> {
  await tx
    .table('patients')
    .toCollection()
    .modify((p: Record<string, unknown>) => {
      p.tokens = tokensV2(p);
    });
}

export function declareV2(db: Dexie): void {
  db.version(2).stores(V2_STORES).upgrade(upgradeV2);
}
