import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshRecordDb } from './helpers';
import { importFhirBundle } from '../../../../src/renderer/src/db/import';
import { rawSearchPatients, searchPatients } from '../../../../src/renderer/src/db/search';
import { markOpened } from '../../../../src/renderer/src/db/patients';
import { generateBundles } from '../../../../src/shared/seed/generate';
import { foldText, tokensMatch, queryTokens } from '../../../../src/shared/text/normalise';
import type { PatientRow } from '../../../../src/renderer/src/db/types';

let db: ReturnType<typeof freshRecordDb>;
let all: PatientRow[];

beforeAll(async () => {
  db = freshRecordDb('search');
  for (const { bundle } of generateBundles(300, { seed: 11, perBundle: 150, documentsPerPatient: 1, content: 'text' })) {
    const report = await importFhirBundle(db, bundle);
    expect(report.rejected.map((r) => r.reason)).toEqual([]);
  }
  all = await db.patients.toArray();
}, 60_000);
afterAll(() => db.close());

/** The expected answer computed by brute force over every patient. */
function bruteForce(query: string): string[] {
  const q = queryTokens(query);
  return all.filter((p) => tokensMatch(p.tokens, q)).map((p) => p.id).sort();
}

describe('searchPatients on 300 seeded patients', () => {
  it('finds by partial, accented or unaccented name, same as brute force', async () => {
    const accented = all.find((p) => /[éèëêï]/.test(p.birthFamilyName + p.birthGivenNames))!;
    const word = (/[éèëêï]/.test(accented.birthFamilyName) ? accented.birthFamilyName : accented.birthGivenNames).split(/[ -]/).find((w) => /[éèëêï]/.test(w))!;
    const partial = word.slice(0, Math.max(3, [...word].findIndex((c) => /[éèëêï]/.test(c)) + 2));
    for (const q of [partial, foldText(partial), partial.toUpperCase()]) {
      const r = await searchPatients(db, q, 500);
      expect(r.query.kind).toBe('name');
      expect(r.patients.map((p) => p.id)).toContain(accented.id);
      expect(r.patients.map((p) => p.id).sort()).toEqual(bruteForce(q));
    }
  });

  it('combines tokens (family + given) and a birth date', async () => {
    const p = all[42]!;
    const q = `${p.birthFamilyName.slice(0, 3)} ${p.birthGivenNames.slice(0, 2)}`;
    const r = await searchPatients(db, q, 500);
    expect(r.patients.map((x) => x.id).sort()).toEqual(bruteForce(q));
    expect(r.patients.map((x) => x.id)).toContain(p.id);
    const [y, m, d] = p.birthDate!.split('-');
    const withDate = await searchPatients(db, `${q} ${d}/${m}/${y}`);
    expect(withDate.patients.map((x) => x.id)).toContain(p.id);
    expect(withDate.patients.every((x) => x.birthDate === p.birthDate)).toBe(true);
    const byDate = await searchPatients(db, `${d}/${m}/${y}`);
    expect(byDate.query).toEqual({ kind: 'birthDate', date: p.birthDate });
    expect(byDate.patients.map((x) => x.id)).toContain(p.id);
  });

  it('finds apostrophe and hyphenated names typed any way', async () => {
    const elided = all.find((p) => /['’]/.test(p.birthFamilyName));
    if (elided) {
      const name = elided.birthFamilyName;
      for (const q of [name, name.replace("'", '’'), name.replace(/['’]/, ''), name.split(/['’]/)[1]!.slice(0, 4)]) {
        expect((await searchPatients(db, q, 500)).patients.map((p) => p.id), q).toContain(elided.id);
      }
    }
    const hyphen = all.find((p) => p.birthGivenNames.includes('-') || p.birthFamilyName.includes('-'))!;
    const h = (hyphen.birthGivenNames.includes('-') ? hyphen.birthGivenNames : hyphen.birthFamilyName).split(' ').find((w) => w.includes('-'))!;
    for (const q of [h, h.replace('-', ' '), h.replace('-', ''), h.split('-')[1]!]) {
      expect((await searchPatients(db, q, 500)).patients.map((p) => p.id), q).toContain(hyphen.id);
    }
  });

  it('finds by IPP prefix and by INS, bounded by the limit', async () => {
    const p = all[7]!;
    const exact = await searchPatients(db, p.ipp);
    expect(exact.patients.map((x) => x.id)).toEqual([p.id]);
    const prefix = await searchPatients(db, p.ipp.slice(0, 7), 5);
    expect(prefix.patients).toHaveLength(5);
    expect(prefix.more).toBe(true);
    const withIns = all.find((x) => x.insNir)!;
    const byIns = await searchPatients(db, withIns.insNir!.slice(0, 13));
    expect(byIns.query.kind).toBe('ins');
    expect(byIns.patients.map((x) => x.id)).toContain(withIns.id);
    expect(byIns.audit).toEqual({
      type: 'record.patient.search',
      action: 'E',
      outcome: 'success',
      detail: { query: withIns.insNir!.slice(0, 13), kind: 'ins' },
    });
  });

  it('lists recent patients first when the box is empty', async () => {
    await markOpened(db, all[3]!.id, { now: new Date('2025-01-01T10:00:00Z') });
    await markOpened(db, all[9]!.id, { now: new Date('2025-01-02T10:00:00Z') });
    const r = await searchPatients(db, '  ');
    expect(r.query.kind).toBe('recent');
    expect(r.patients.map((p) => p.id)).toEqual([all[9]!.id, all[3]!.id]);
  });

  it('the raw IndexedDB search returns the same patients', async () => {
    const idb = db.backendDB();
    for (const q of ['ma', 'ber', 'jean', 'le g', all[5]!.ipp, all[1]!.ipp.slice(0, 6), '', 'zzzz']) {
      const app = (await searchPatients(db, q, 20)).patients.map((p) => p.id).sort();
      const raw = (await rawSearchPatients(idb, q, 20, db.idb.IDBKeyRange)).map((p) => p.id).sort();
      expect(raw, q).toEqual(app);
    }
  });
});
