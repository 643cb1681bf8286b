import Dexie, { type EntityTable } from 'dexie';
import { declareVersions } from './migrations';
import type {
  AllergyRow,
  DocumentContentRow,
  DocumentRow,
  IdentityLinkRow,
  NoteRow,
  ObservationRow,
  OutboxRow,
  PatientRow,
  ProblemRow,
  ProcedureRow,
  StayRow,
  TreatmentRow,
} from './types';

/** The change-feed cursor: which replica (epoch) the cache mirrors and the last batch applied from it. */
export interface SyncStateRow {
  id: 'feed';
  epoch: string;
  seq: number;
  /** Epoch ms of the last batch applied. */
  appliedAt: number;
}

export type RecordDb = Dexie & {
  patients: EntityTable<PatientRow, 'id'>;
  stays: EntityTable<StayRow, 'id'>;
  documents: EntityTable<DocumentRow, 'id'>;
  documentContents: EntityTable<DocumentContentRow, 'id'>;
  allergies: EntityTable<AllergyRow, 'id'>;
  treatments: EntityTable<TreatmentRow, 'id'>;
  problems: EntityTable<ProblemRow, 'id'>;
  procedures: EntityTable<ProcedureRow, 'id'>;
  observations: EntityTable<ObservationRow, 'id'>;
  notes: EntityTable<NoteRow, 'id'>;
  identityLinks: EntityTable<IdentityLinkRow, 'id'>;
  outbox: EntityTable<OutboxRow, 'id'>;
  syncState: EntityTable<SyncStateRow, 'id'>;
};

export interface RecordDbOptions {
  /** Injected IndexedDB (tests pass fake-indexeddb); defaults to the browser's. */
  indexedDB?: IDBFactory;
  IDBKeyRange?: typeof IDBKeyRange;
}

export const DEFAULT_RECORD_DB_NAME = 'dossier-hospitalier';

/** The local hospital record. Opens lazily on first use; upgrades run then. */
export function createRecordDb(name: string = DEFAULT_RECORD_DB_NAME, options: RecordDbOptions = {}): RecordDb {
  const dexieOptions: { indexedDB?: IDBFactory; IDBKeyRange?: typeof IDBKeyRange } = {};
  if (options.indexedDB) dexieOptions.indexedDB = options.indexedDB;
  if (options.IDBKeyRange) dexieOptions.IDBKeyRange = options.IDBKeyRange;
  const db = new Dexie(name, dexieOptions) as RecordDb;
  declareVersions(db);
  return db;
}

/** Every table, for read transactions spanning the whole chart. */
export function allTables(db: RecordDb) {
  return [
    db.patients,
    db.stays,
    db.documents,
    db.documentContents,
    db.allergies,
    db.treatments,
    db.problems,
    db.procedures,
    db.observations,
    db.notes,
    db.identityLinks,
    db.outbox,
  ];
}
