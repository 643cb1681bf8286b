import { createRecordDb, type RecordDb } from '../../db/database';

let db: RecordDb | null = null;

/** The workstation's local hospital record (IndexedDB), opened once per page. */
export function recordDb(): RecordDb {
  db ??= createRecordDb();
  return db;
}
