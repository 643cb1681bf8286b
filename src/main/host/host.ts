import { hostname } from 'node:os';
import type { HostConfig } from './config';
import { ensureDataDir, loadOrCreateWorkstationId } from './data-dir';
import { allowPublicOnly, createDispatcher, type Dispatch } from './dispatch';
import type { Handlers } from './handlers';
import { createAppHandlers } from './app-handlers';

/** The host core: every service of the workstation, built from a config. Never imports electron. */
export interface Host {
  readonly config: HostConfig;
  readonly workstationId: string;
  readonly workstationName: string;
  dispatch: Dispatch;
  close(): Promise<void>;
}

export async function createHost(config: HostConfig): Promise<Host> {
  ensureDataDir(config.dataDir);
  const startedAt = config.clock.now();
  const workstationId = loadOrCreateWorkstationId(config.dataDir, startedAt);
  const workstationName = config.workstationName ?? `Poste ${hostname()}`;

  const handlers: Handlers = {
    ...createAppHandlers({ config, workstationId, workstationName, startedAt }),
  };
  const dispatch = createDispatcher(handlers, allowPublicOnly, config.logger);

  return {
    config,
    workstationId,
    workstationName,
    dispatch,
    async close() {
      config.logger.info('host closed');
    },
  };
}
