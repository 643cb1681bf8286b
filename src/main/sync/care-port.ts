/**
 * The care index as the sync engine feeds it (DESIGN-11.md part C). Declared here structurally so the engine
 * compiles before src/main/care lands; the host passes the real index, which satisfies it.
 */
export interface PatientIdentity { id: string; ipp: string; ins?: string }
export interface CareEncounter {
  id: string;
  patientId: string;
  unit: string;
  start?: string;
  end?: string;
  status: 'planned' | 'arrived' | 'triaged' | 'in-progress' | 'onleave' | 'finished' | 'cancelled' | 'entered-in-error' | 'unknown';
}
export interface CareIndexPort {
  putPatient(p: PatientIdentity): void;
  removePatient(id: string): void;
  putEncounter(e: CareEncounter): void;
  removeEncounter(id: string): void;
  identity(patientId: string): PatientIdentity | null;
  inCare(patientId: string, units: readonly string[], now: Date): boolean;
  patientsInCare(units: readonly string[] | 'all', now: Date): string[];
  encountersOf(patientId: string): CareEncounter[];
  snapshot(): unknown;
}

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
