import type { SecretStore } from '../auth/secret-store';
import type { DmpConnection } from '../dmp/runtime';
import type { AuditPort } from './audit-port';
import type { Clock } from './clock';
import type { Logger } from './logger';
import type { HospitalConnection, WorkstationScope } from '../sync/config';

export type HostMode = 'electron' | 'browser';

/** Everything the host core needs from the outside world; nothing else is global. */
export interface HostConfig {
  dataDir: string;
  mode: HostMode;
  clock: Clock;
  logger: Logger;
  /** Application version shown in "À propos" and stamped on DMP calls. */
  version: string;
  /** Human name of this workstation, e.g. "Cardiologie – poste 3". Defaults to the host name. */
  workstationName?: string;
  /**
   * A demo data dir (npm start's default): the login screen offers the demo accounts. The
   * composition root fills it with the demo users and TEST PKI before building the host.
   */
  demo?: boolean;
  /** Idle delay before the session locks; 5 minutes by default. */
  lockAfterMs?: number;
  /** Where passphrases live: Electron safeStorage, or 0600 files in the browser host. */
  secrets?: SecretStore;
  /**
   * The DMP: a configured endpoint, or the embedded test DMP a composition root injects
   * when none is configured (demos, tests). Absent: DMP calls say none is configured.
   */
  dmp?: DmpConnection;
  /** A SAMU regulation workstation: centre-15 access to the DMP is possible from it. */
  regulation?: boolean;
  /**
   * The hospital's FHIR server: a configured one, or the embedded test server a composition root injects when
   * none is configured. Absent: no sync runs (the replica stays as it is).
   */
  hospital?: HospitalConnection;
  /** What this workstation replicates; every unit with a 30-day care window by default. */
  scope?: WorkstationScope;
  /** Overrides the audit port (tests); by default the signed journal of the data dir. */
  audit?: AuditPort;
}
