import { describe, expect, it } from 'vitest';
import { freshIdb, openAtVersion } from './helpers';
import { V1_STORES } from '../../../../src/renderer/src/db/migrations/v1-initial';

describe('migration v1 (initial schema)', () => {
  it('creates every table with its indexes and refuses a duplicate IPP', async () => {
    const idb = freshIdb();
    const db = openAtVersion('m1', idb, 1);
    await db.open();
    expect(db.verno).toBe(1);
    expect(db.tables.map((t) => t.name).sort()).toEqual(Object.keys(V1_STORES).sort());
    const obs = db.table('observations').schema.indexes.map((i) => i.name);
    expect(obs).toContain('[patientId+code+date]');
    await db.table('patients').add({ id: 'a', ipp: '1' });
    await expect(db.table('patients').add({ id: 'b', ipp: '1' })).rejects.toThrow(/ConstraintError|unique|Key already exists/i);
    db.close();
  });
});
