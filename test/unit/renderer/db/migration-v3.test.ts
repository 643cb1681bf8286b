import { describe, expect, it } from 'vitest';
import { freshIdb, openAtVersion } from './helpers';
import { createRecordDb } from '../../../../src/renderer/src/db/database';
import { CURRENT_VERSION } from '../../../../src/renderer/src/db/migrations';

describe('migration v3 (document contents in their own table)', () => {
  it('moves inline content out of document rows, keeping metadata', async () => {
    const idb = freshIdb();
    const old = openAtVersion('m3', idb, 2);
    const docs = Array.from({ length: 1203 }, (_, i) => ({
      id: `d${String(i).padStart(5, '0')}`,
      patientId: 'p1',
      title: `Document ${i}`,
      date: '2024-01-01',
      contentKind: i % 2 ? 'cda' : 'pdf',
      content: i % 2 ? `<ClinicalDocument n="${i}"/>` : new Uint8Array([37, 80, 68, 70, i % 256]),
    }));
    docs.push({ id: 'nocontent', patientId: 'p2', title: 'Sans contenu', date: '2024-01-02', contentKind: 'text' } as never);
    await old.table('documents').bulkAdd(docs);
    old.close();

    const db = createRecordDb('m3', idb);
    await db.open();
    expect(db.verno).toBe(CURRENT_VERSION);
    expect(await db.documents.count()).toBe(1204);
    expect(await db.documentContents.count()).toBe(1203);
    const meta = (await db.documents.get('d00007')) as unknown as Record<string, unknown>;
    expect(meta).not.toHaveProperty('content');
    expect(meta.title).toBe('Document 7');
    expect(await db.documentContents.get('d00007')).toEqual({
      id: 'd00007',
      patientId: 'p1',
      kind: 'cda',
      data: '<ClinicalDocument n="7"/>',
    });
    const pdf = await db.documentContents.get('d01200');
    expect(pdf?.kind).toBe('pdf');
    expect(Array.from(pdf?.data as Uint8Array)).toEqual([37, 80, 68, 70, 1200 % 256]);
    expect(await db.documentContents.get('nocontent')).toBeUndefined();
    db.close();
  });
});
