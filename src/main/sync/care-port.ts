import type { CareEncounter, CareIndex, PatientIdentity } from '../care/index';

export type { CareEncounter, PatientIdentity } from '../care/index';

/** The care index as the sync engine feeds and reads it (src/main/care): one definition of patients and stays. */
export type CareIndexPort = Pick<
  CareIndex,
  'putPatient' | 'removePatient' | 'putEncounter' | 'removeEncounter' | 'identity' | 'inCare' | 'patientsInCare' | 'encountersOf' | 'snapshot'
>;

/** What one change-log batch taught main about care relationships; replayed into the index after its snapshot. */
export interface CareDelta {
  patients?: PatientIdentity[];
  removePatients?: string[];
  encounters?: CareEncounter[];
  removeEncounters?: string[];
}

export function applyCareDelta(index: CareIndexPort, delta: CareDelta): void {
  for (const p of delta.patients ?? []) index.putPatient(p);
  for (const e of delta.encounters ?? []) index.putEncounter(e);
  for (const id of delta.removeEncounters ?? []) index.removeEncounter(id);
  for (const id of delta.removePatients ?? []) index.removePatient(id);
}
