import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCliArgs } from '../../cli/args';
import { startHospitalTestServer, type HospitalTestServerOptions } from './index';

const USAGE = `Usage : npm run hospital-server -- [--port P] [--data-dir D] [--seed N] [--seed-value S] [--full-content N] [--documents N] [--reference-date AAAA-MM-JJ] [--latency MS] [--fail-rate R]
  --seed N : patients générés au premier démarrage (dossier de données vide) ; ignoré ensuite.
  --full-content N : seuls les N premiers patients (et ceux en cours de prise en charge) ont leur contenu clinique ;
                     les autres n’ont qu’identité et séjours (par défaut : tous).`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

function integer(value: string | undefined, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) fail(`${what} invalide : ${value} (entier entre ${min} et ${max} attendu).`);
  return n;
}

function parse(argv: string[]): HospitalTestServerOptions {
  let values;
  try {
    ({ values } = parseCliArgs(argv, {
      port: { type: 'string' },
      'data-dir': { type: 'string' },
      seed: { type: 'string' },
      'seed-value': { type: 'string' },
      'full-content': { type: 'string' },
      documents: { type: 'string' },
      'reference-date': { type: 'string' },
      latency: { type: 'string' },
      'fail-rate': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    }));
  } catch (e) {
    fail((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = integer(values.port, 'Port', 0, 65535);
  const patients = integer(values.seed, 'Nombre de patients', 0, 2_000_000);
  const seedValue = integer(values['seed-value'], 'Graine', 0, 2 ** 31 - 1);
  const full = integer(values['full-content'], 'Nombre de patients avec contenu', 0, 2_000_000);
  const documents = integer(values.documents, 'Documents par patient', 0, 100);
  const referenceDate = values['reference-date'];
  if (referenceDate !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(referenceDate) || Number.isNaN(Date.parse(referenceDate)))) fail(`Date de référence invalide : ${referenceDate} (AAAA-MM-JJ attendu).`);
  const latencyMs = values.latency === undefined ? undefined : Number(values.latency);
  if (latencyMs !== undefined && !(Number.isFinite(latencyMs) && latencyMs >= 0)) fail(`Latence invalide : ${values.latency} (millisecondes, nombre positif).`);
  const failRate = values['fail-rate'] === undefined ? undefined : Number(values['fail-rate']);
  if (failRate !== undefined && !(failRate >= 0 && failRate <= 1)) fail(`Taux d’échec invalide : ${values['fail-rate']} (entre 0 et 1).`);
  return {
    dataDir: path.resolve(values['data-dir'] ?? mkdtempSync(path.join(os.tmpdir(), 'hospital-server-'))),
    ...(port !== undefined ? { port } : {}),
    ...(patients !== undefined
      ? { seed: { patients, ...(seedValue !== undefined ? { seed: seedValue } : {}), ...(full !== undefined ? { fullContentPatients: full } : {}), ...(documents !== undefined ? { documentsPerPatient: documents } : {}), ...(referenceDate ? { referenceDate } : {}) } }
      : {}),
    ...(latencyMs !== undefined ? { latencyMs } : {}),
    ...(failRate !== undefined ? { failRate } : {}),
  };
}

function main(argv: string[]): void {
  const opts = parse(argv);
  startHospitalTestServer(opts).then(
    (s) => {
      console.log(s.url);
      const seeded = s.seeded ? `, ${s.seeded.patients} patients générés (${s.seeded.fullPatients} avec contenu clinique, ${s.seeded.resources} ressources) en ${s.seeded.seconds.toFixed(1)} s` : '';
      console.error(`Serveur hospitalier de test prêt (données : ${opts.dataDir}${seeded}).`);
      const stop = (): void => void s.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (e: Error) => fail(`Démarrage du serveur hospitalier de test impossible : ${e.message}`),
  );
}

main(process.argv.slice(2));
