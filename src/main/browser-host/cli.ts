import path from 'node:path';
import { createHost } from '../host/host';
import { systemClock } from '../host/clock';
import { createConsoleLogger } from '../host/logger';
import { readAppVersion, resolveDataDir } from '../host/paths';
import { startBrowserHost } from './server';

/**
 * `npm run start:browser`: the same renderer and bridge as the Electron app,
 * served on 127.0.0.1 (tests, demos, machines without the Electron runtime).
 * Options: --data-dir D (or WORKSTATION_DATA_DIR), --port P.
 */
function parseArgs(argv: string[]): { dataDir?: string; port: number } {
  let dataDir: string | undefined;
  let port = Number(process.env.WORKSTATION_PORT ?? 5780);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--data-dir') dataDir = argv[++i];
    else if (a === '--port') port = Number(argv[++i]);
    else if (a?.startsWith('--data-dir=')) dataDir = a.slice('--data-dir='.length);
    else if (a?.startsWith('--port=')) port = Number(a.slice('--port='.length));
    else {
      console.error(`Option inconnue : ${a}. Usage : start:browser [--data-dir D] [--port P]`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('Port invalide : donnez un entier entre 0 et 65535.');
    process.exit(2);
  }
  return { dataDir, port };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const root = path.resolve(__dirname, '..', '..', '..');
  const logger = createConsoleLogger('browser-host');
  // Without an explicit data dir, npm start uses the demo dir and fills it on first start.
  const demo = !args.dataDir && !process.env.WORKSTATION_DATA_DIR;
  const host = await createHost({
    demo,
    dataDir: resolveDataDir(args.dataDir, root),
    mode: 'browser',
    clock: systemClock,
    logger,
    version: readAppVersion(root),
  });
  const server = await startBrowserHost({ host, rendererDir: path.join(root, 'out', 'renderer'), port: args.port });
  console.log(`Poste clinique CHU (hôte navigateur) : ${server.url}`);
  console.log(`Données : ${host.config.dataDir}`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    await host.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
