import type { HostConfig } from '../host/config';
import type { HandlerSlice } from '../host/handlers';

interface AppDeps {
  config: HostConfig;
  workstationId: string;
  workstationName: string;
  startedAt: Date;
}

export function createAppHandlers({ config, workstationId, workstationName, startedAt }: AppDeps): HandlerSlice<'app'> {
  return {
    'app.info': async () => ({
      name: 'Poste clinique CHU',
      version: config.version,
      mode: config.mode,
      dataDir: config.dataDir,
      workstationId,
      workstationName,
    }),
    'app.health': async () => {
      const now = config.clock.now();
      return {
        status: 'ok',
        uptimeSeconds: Math.max(0, (now.getTime() - startedAt.getTime()) / 1000),
        time: now.toISOString(),
        services: { host: 'ok' },
      };
    },
    'app.echo': async ({ text }) => ({ text, receivedAt: config.clock.now().toISOString() }),
  };
}
