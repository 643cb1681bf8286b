import { afterEach, describe, expect, it } from 'vitest';
import { freshRecordDb } from './helpers';
import type { RecordDb } from '../../../../src/renderer/src/db/database';
import { chunkRows, importBatch, rawImportBatch } from '../../../../src/renderer/src/db/import';
import type { RecordRows } from '../../../../src/renderer/src/db/types';

let db: RecordDb;
afterEach(() => db?.close());

function rows(n: number, offset = 0): RecordRows {
  const patients = Array.from({ length: n }, (_, i) => ({
    id: `pat-${i + offset}`,
    ipp: String(1000 + i + offset),
    birthFamilyName: 'Martin',
    birthGivenNames: 'Léa',
    sex: 'F' as const,
    identityStatus: 'PROV' as const,
    tokens: ['martin', 'lea'],
    units: [],
    createdAt: 0,
    updatedAt: 0,
  }));
  const documents = patients.map((p) => ({
    id: `doc-${p.id}`,
    patientId: p.id,
    typeCode: '11490-0',
    typeLabel: 'Lettre de liaison à la sortie',
    title: 'Lettre',
    date: '2024-01-01',
    status: 'final' as const,
    contentKind: 'text' as const,
    mimeType: 'text/plain',
    size: 3,
  }));
  return { patients, documents };
}

describe('bulk writers', () => {
  it('importBatch and rawImportBatch write the same rows to the same indexes', async () => {
    db = freshRecordDb('a');
    expect(await importBatch(db, rows(50))).toBe(100);
    const other = freshRecordDb('b');
    await other.open();
    expect(await rawImportBatch(other.backendDB(), rows(50))).toBe(100);
    expect(await other.patients.where('tokens').equals('lea').count()).toBe(50);
    expect(await other.documents.where('patientId').equals('pat-3').count()).toBe(1);
    expect(await db.patients.toArray()).toEqual(await other.patients.toArray());
    other.close();
  });

  it('a batch is all or nothing', async () => {
    db = freshRecordDb();
    await importBatch(db, rows(3));
    // The last patient has no key: IndexedDB refuses it after four puts went in, and the whole batch rolls back.
    const bad = rows(5, 10);
    bad.patients![4] = { ...bad.patients![4]!, id: undefined as never };
    await expect(importBatch(db, bad)).rejects.toThrow();
    expect(await db.patients.count()).toBe(3);
    expect(await db.documents.count()).toBe(3);
    await db.open();
    await expect(rawImportBatch(db.backendDB(), bad)).rejects.toBeTruthy();
    expect(await db.patients.count()).toBe(3);
  });

  it('chunkRows splits across tables without losing rows', () => {
    const chunks = [...chunkRows(rows(7), 4)];
    expect(chunks.map((c) => (c.patients?.length ?? 0) + (c.documents?.length ?? 0))).toEqual([4, 4, 4, 2]);
  });
});
