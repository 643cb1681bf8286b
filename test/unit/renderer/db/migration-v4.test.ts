import { describe, expect, it } from 'vitest';
import { freshIdb, openAtVersion } from './helpers';
import { createRecordDb } from '../../../../src/renderer/src/db/database';

describe('migration v4 (the record becomes main’s cache)', () => {
  it('keeps every row, adds an empty sync cursor table and lets two identities share an IPP', async () => {
    const idb = freshIdb();
    const old = openAtVersion('m4', idb, 3);
    await old.table('patients').bulkAdd([
      { id: 'p1', ipp: '111', birthFamilyName: 'DURAND', tokens: ['durand'], lastOpenedAt: 5 },
      { id: 'p2', ipp: '222', birthFamilyName: 'MARTIN', tokens: ['martin'] },
    ]);
    await expect(old.table('patients').add({ id: 'p3', ipp: '111', tokens: [] })).rejects.toThrow();
    old.close();

    const db = createRecordDb('m4', idb);
    await db.open();
    expect(db.verno).toBe(4);
    expect(await db.syncState.count()).toBe(0);
    expect(await db.patients.where('tokens').equals('durand').first()).toMatchObject({ id: 'p1', lastOpenedAt: 5 });
    await db.patients.add({ id: 'p3', ipp: '111', tokens: [] } as never);
    expect((await db.patients.where('ipp').equals('111').primaryKeys()).sort()).toEqual(['p1', 'p3']);
    db.close();
  });
});
