import Dexie from 'dexie';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { createRecordDb, type RecordDb } from '../../../../src/renderer/src/db/database';
import { declareVersions } from '../../../../src/renderer/src/db/migrations';

/** A fresh, isolated IndexedDB per test (no state shared through a global factory). */
export function freshIdb(): { indexedDB: IDBFactory; IDBKeyRange: typeof IDBKeyRange } {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

export function freshRecordDb(name = 'test-record'): RecordDb & { idb: ReturnType<typeof freshIdb> } {
  const idb = freshIdb();
  const db = createRecordDb(name, idb) as RecordDb & { idb: ReturnType<typeof freshIdb> };
  db.idb = idb;
  return db;
}

/** Opens the same database at an older schema version, as a workstation running an older build. */
export function openAtVersion(name: string, idb: ReturnType<typeof freshIdb>, version: number): Dexie {
  const db = new Dexie(name, idb);
  declareVersions(db, version);
  return db;
}
