import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCliArgs } from '../../cli/args';
import { resolveDataDir } from '../../host/paths';
import { seedDemoPatients, type DemoPatient } from './demo';
import { FAULT_MODES, startDmpSandbox, type FaultMode } from './server';

/** Strict traits a demo CDA needs, read from the NIR itself (sex digit, year and month of birth). */
function demoPatient(ins: string): DemoPatient {
  const month = Number(ins.slice(3, 5));
  return {
    ins,
    given: 'Camille',
    family: 'DEMO',
    birthDate: `19${ins.slice(1, 3)}-${String(month >= 1 && month <= 12 ? month : 1).padStart(2, '0')}-01`,
    sex: ins[0] === '1' ? 'M' : 'F',
  };
}

const USAGE = `Usage : npm run dmp-sandbox -- [--port P] [--data-dir D] [--seed DIR] [--lenient] [--latency MS] [--fail-rate R] [--fault MODE] [--trust CERT.pem]... [--app-data-dir D] [--demo INS]...
  --fault MODE : ${FAULT_MODES.join(', ')}
  --trust : certificat d'établissement (VIHF) ou de cachet (signature des lots) accepté ; par défaut,
            celui du poste (D/pki/establishment.cert.pem, D = --app-data-dir, WORKSTATION_DATA_DIR ou .data/demo).
  --demo INS : crée (une fois) un DMP de démonstration varié pour ce patient (INS-NIR de test, 15 caractères).`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function main(argv: string[]): void {
  let values;
  try {
    ({ values } = parseCliArgs(argv, {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
      lenient: { type: 'boolean' },
      latency: { type: 'string' },
      'fail-rate': { type: 'string' },
      fault: { type: 'string' },
      trust: { type: 'string', multiple: true },
      'app-data-dir': { type: 'string' },
      demo: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const opts: { port?: number; dataDir?: string; seedDir?: string; lenient: boolean; latencyMs?: number; failRate?: number; fault?: FaultMode; trust: string[]; appDataDir?: string; demo: string[] } = {
    lenient: values.lenient ?? false,
    trust: (values.trust ?? []).map((f) => readFileSync(path.resolve(f), 'utf8')),
    demo: values.demo ?? [],
  };
  if (values.port !== undefined) {
    const p = Number(values.port);
    if (!Number.isInteger(p) || p < 0 || p > 65535) fail('Port invalide.');
    opts.port = p;
  }
  if (values['data-dir'] !== undefined) opts.dataDir = path.resolve(values['data-dir']);
  if (values.seed !== undefined) opts.seedDir = path.resolve(values.seed);
  if (values.latency !== undefined) {
    const ms = Number(values.latency);
    if (!Number.isFinite(ms) || ms < 0) fail('Latence invalide.');
    opts.latencyMs = ms;
  }
  if (values['fail-rate'] !== undefined) {
    const r = Number(values['fail-rate']);
    if (!(r >= 0 && r <= 1)) fail('Taux d’échec invalide (entre 0 et 1).');
    opts.failRate = r;
  }
  if (values.fault !== undefined) {
    const m = values.fault as FaultMode;
    if (!FAULT_MODES.includes(m)) fail(`Mode de panne inconnu : ${m}.`);
    opts.fault = m;
  }
  if (values['app-data-dir'] !== undefined) opts.appDataDir = path.resolve(values['app-data-dir']);
  for (const ins of opts.demo) {
    if (!/^[12][0-9]{4}[0-9AB][0-9]{9}$/.test(ins)) fail(`INS de démonstration invalide : ${ins} (15 caractères attendus).`);
  }
  if (!opts.trust.length) {
    // Out of the box, trust the workstation's own establishment certificate (TEST PKI of its data dir).
    const appDir = resolveDataDir(opts.appDataDir, path.resolve(__dirname, '../../../..'));
    const cert = path.join(appDir, 'pki', 'establishment.cert.pem');
    if (existsSync(cert)) opts.trust.push(readFileSync(cert, 'utf8'));
  }
  if (!opts.lenient && !opts.trust.length) fail("Aucun certificat de confiance : indiquez --trust CERT.pem, initialisez le poste de démonstration (certificat d'établissement dans <données>/pki) ou utilisez --lenient.");
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'dmp-sandbox-'));
  startDmpSandbox({
    dataDir,
    trustedCertPems: opts.trust,
    lenient: opts.lenient,
    ...(opts.port !== undefined ? { port: opts.port } : {}),
    ...(opts.seedDir ? { seedDir: opts.seedDir } : {}),
    ...(opts.latencyMs !== undefined ? { latencyMs: opts.latencyMs } : {}),
    ...(opts.failRate !== undefined ? { failRate: opts.failRate } : {}),
    ...(opts.fault ? { fault: opts.fault } : {}),
  }).then(
    async (s) => {
      if (opts.demo.length) {
        const added = await seedDemoPatients(s, opts.demo.map(demoPatient));
        console.error(`Documents de démonstration ajoutés : ${added}.`);
      }
      console.log(s.servicesUrl);
      console.error(`DMP de test prêt (données : ${dataDir}${opts.lenient ? ', mode permissif' : ''}).`);
      const stop = (): void => void s.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (e: Error) => fail(`Démarrage du DMP de test impossible : ${e.message}`),
  ).catch((e: Error) => fail(`Préparation du DMP de test impossible : ${e.message}`));
}

main(process.argv.slice(2));
