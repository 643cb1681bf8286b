import type { DmpEntry, DmpIdentity, DmpRetrieved } from '../../../../shared/bridge/methods-dmp';
import type { PatientRef } from '../../../../shared/bridge/patient-ref';

/** The patient the panel shows: the bridge reference plus the identity status and strict traits. */
export interface DmpPatient {
  ref: PatientRef;
  identity: DmpIdentity;
  /** "Jean DUPONT", for headings and the emergency banner. */
  displayName: string;
}

/** What "Intégrer au dossier" hands to the local record (the lead's Dexie writer). */
export interface DmpIntegration {
  patient: DmpPatient;
  entry: DmpEntry;
  document: DmpRetrieved;
  /** Journal position of the integration record. */
  seq: number;
}
