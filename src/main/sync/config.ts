/** The hospital's FHIR R4 server this workstation replicates. */
export interface HospitalConnection {
  baseUrl: string;
  /** Shown in the header, e.g. "Serveur hospitalier de test". */
  label: string;
  test: boolean;
  /** Mutual TLS with the establishment certificate. */
  tls?: { certPem: string; keyPem: string; caPem?: string };
  /** SMART Backend Services bearer. */
  token?: () => Promise<string>;
}

/** What this workstation holds: the units whose patients in care it replicates in full. */
export interface WorkstationScope {
  units: string[] | 'all';
  /** A stay ended less than this many days ago still makes a care relationship. */
  careWindowDays: number;
  /** An emergency workstation: every patient of the emergency unit. */
  emergency?: boolean;
}

export const DEFAULT_SCOPE: WorkstationScope = { units: 'all', careWindowDays: 30 };
