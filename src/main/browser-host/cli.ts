import path from 'node:path';
import { createHost } from '../host/host';
import { systemClock } from '../host/clock';
import { createConsoleLogger } from '../host/logger';
import { readAppVersion, resolveDataDir } from '../host/paths';
import { parseCliArgs } from '../cli/args';
import { startBrowserHost } from './server';

/**
 * `npm run start:browser`: the same renderer and bridge as the Electron app,
 * served on 127.0.0.1 (tests, demos, machines without the Electron runtime).
 * Options: --data-dir D (or WORKSTATION_DATA_DIR), --port P, --lock-after-minutes M
 * (WORKSTATION_LOCK_AFTER_MINUTES), --dmp-url URL (WORKSTATION_DMP_URL),
 * --renderer-dir D (a renderer built elsewhere: bench:start serves its bench build),
 * --hospital-url URL (WORKSTATION_HOSPITAL_URL: the hospital's FHIR R4 server; the embedded test server otherwise).
 */
const USAGE = 'Usage : start:browser [--data-dir D] [--port P] [--lock-after-minutes M] [--dmp-url URL] [--renderer-dir D] [--hospital-url URL]';

function parseArgs(argv: string[]): { dataDir?: string; port: number; lockAfterMinutes: number; dmpUrl?: string; rendererDir?: string; hospitalUrl?: string } {
  let values;
  try {
    ({ values } = parseCliArgs(argv, {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: process.env.WORKSTATION_PORT ?? '5780' },
      'lock-after-minutes': { type: 'string', default: process.env.WORKSTATION_LOCK_AFTER_MINUTES ?? '5' },
      'dmp-url': { type: 'string' },
      'renderer-dir': { type: 'string' },
      'hospital-url': { type: 'string' },
    }));
  } catch (e) {
    console.error(`${(e as Error).message} ${USAGE}`);
    process.exit(2);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error('Port invalide : donnez un entier entre 0 et 65535.');
    process.exit(2);
  }
  const lockAfterMinutes = Number(values['lock-after-minutes']);
  if (!Number.isFinite(lockAfterMinutes) || lockAfterMinutes < 1 || lockAfterMinutes > 120) {
    console.error('Délai de verrouillage invalide : donnez un nombre de minutes entre 1 et 120.');
    process.exit(2);
  }
  const dmpUrl = values['dmp-url'] ?? process.env.WORKSTATION_DMP_URL;
  if (dmpUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(dmpUrl)) {
    console.error('Adresse du DMP invalide : une URL http(s) des services DMPi est attendue.');
    process.exit(2);
  }
  const hospitalUrl = values['hospital-url'] ?? process.env.WORKSTATION_HOSPITAL_URL;
  if (hospitalUrl !== undefined && !/^https?:\/\/[^\s]+$/.test(hospitalUrl)) {
    console.error('Adresse du serveur hospitalier invalide : l’URL http(s) de sa base FHIR R4 est attendue.');
    process.exit(2);
  }
  const rendererDir = values['renderer-dir'];
  return {
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
    port,
    lockAfterMinutes,
    ...(dmpUrl ? { dmpUrl } : {}),
    ...(rendererDir ? { rendererDir } : {}),
    ...(hospitalUrl ? { hospitalUrl } : {}),
  };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const root = path.resolve(__dirname, '..', '..', '..');
  const logger = createConsoleLogger('browser-host');
  // Without an explicit data dir, npm start uses the demo dir and fills it on first start.
  const demo = !args.dataDir && !process.env.WORKSTATION_DATA_DIR;
  const dataDir = resolveDataDir(args.dataDir, root);
  // Demo users, TEST PKI and the embedded test DMP come from the composition root only:
  // the host core never imports them.
  if (demo) await (await import('../auth/demo')).initDemo(dataDir);
  const dmp = args.dmpUrl ? { servicesUrl: args.dmpUrl } : (await import('../dmp/sandbox/embedded')).embeddedTestDmp();
  // The hospital's FHIR server, or the embedded "Serveur hospitalier de test" (its record in the data dir).
  const embeddedHospital = args.hospitalUrl ? null : await (await import('../hospital/test-server/embedded')).embeddedHospitalTestServer(dataDir);
  const hospital = embeddedHospital?.connection ?? { baseUrl: args.hospitalUrl!, label: 'Serveur hospitalier', test: false };
  const host = await createHost({
    hospital,
    demo,
    dataDir,
    lockAfterMs: args.lockAfterMinutes * 60_000,
    dmp,
    mode: 'browser',
    clock: systemClock,
    logger,
    version: readAppVersion(root),
  });
  const server = await startBrowserHost({ host, rendererDir: args.rendererDir ? path.resolve(args.rendererDir) : path.join(root, 'out', 'renderer'), port: args.port });
  console.log(`Poste clinique CHU (hôte navigateur) : ${server.url}`);
  console.log(`Données : ${host.config.dataDir}`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    await server.close();
    await host.close();
    await embeddedHospital?.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
