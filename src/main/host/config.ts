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
}
