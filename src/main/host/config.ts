import type { SecretStore } from '../auth/secret-store';
import type { AuditPort } from './audit-port';
import type { Clock } from './clock';
import type { Logger } from './logger';

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
  /** Fill a new data dir with the demo users and TEST PKI (npm start's default data dir). */
  demo?: boolean;
  /** Idle delay before the session locks; 5 minutes by default. */
  lockAfterMs?: number;
  /** Where passphrases live: Electron safeStorage, or 0600 files in the browser host. */
  secrets?: SecretStore;
  /**
   * Base URL of the DMP services (…/si-dmp-server/v2/services). Absent: the embedded
   * "DMP de test" sandbox is started on first use.
   */
  dmpEndpoint?: string;
  /** A SAMU regulation workstation: centre-15 access to the DMP is possible from it. */
  regulation?: boolean;
  /** Overrides the audit port (tests); by default the signed journal of the data dir. */
  audit?: AuditPort;
}
