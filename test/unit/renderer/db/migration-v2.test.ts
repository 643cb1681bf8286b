import { describe, expect, it } from 'vitest';
import { freshIdb, openAtVersion } from './helpers';
import { createRecordDb } from '../../../../src/renderer/src/db/database';

describe('migration v2 (search tokens)', () => {
  it('backfills tokens for patients written by v1 so they become searchable', async () => {
    const idb = freshIdb();
    const old = openAtVersion('m2', idb, 1);
    await old.table('patients').bulkAdd([
      { id: 'p1', ipp: '100', birthFamilyName: "N'Diaye", birthGivenNames: 'Aïssatou Marie', usedFamilyName: 'Lefèvre' },
      { id: 'p2', ipp: '101', birthFamilyName: 'Martin', birthGivenNames: 'Jean-Luc' },
    ]);
    old.close();

    const db = createRecordDb('m2', idb);
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(2);
    const p1 = await db.patients.get('p1');
    expect(p1?.tokens).toEqual(expect.arrayContaining(['ndiaye', 'diaye', 'aissatou', 'marie', 'lefevre']));
    const byToken = await db.patients.where('tokens').startsWith('lefe').primaryKeys();
    expect(byToken).toEqual(['p1']);
    const jean = await db.patients.where('tokens').equals('jeanluc').primaryKeys();
    expect(jean).toEqual(['p2']);
    db.close();
  });
});
