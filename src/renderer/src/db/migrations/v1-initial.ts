import type Dexie from 'dexie';

/**
 * Version 1: the first record schema. Documents kept their content inline and patients had no
 * search tokens yet; versions 2 and 3 change that (each with a data migration).
 */
export const V1_STORES = {
  patients: 'id, &ipp, insNir, birthDate, lastOpenedAt, linkedTo',
  stays: 'id, patientId, [patientId+start]',
  documents: 'id, patientId, [patientId+date], status',
  allergies: 'id, patientId',
  treatments: 'id, patientId',
  problems: 'id, patientId',
  procedures: 'id, patientId',
  observations: 'id, patientId, [patientId+code+date]',
  notes: 'id, patientId',
  identityLinks: 'id, provisionalId, realId',
  outbox: 'id, patientId, documentId, status, createdAt',
};

export function declareV1(db: Dexie): void {
  db.version(1).stores(V1_STORES);
}
