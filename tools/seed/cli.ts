import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { parseCliArgs } from '../../src/main/cli/args';
import { addCounts, emptyCounts, generateBundles } from '../../src/shared/seed/generate';

/**
 * npm run seed -- --patients N [--seed S] [--data-dir D] [--out FILE] [--per-file P]
 *                 [--documents-per-patient M] [--content cda|text]
 * Writes FHIR R4 Bundles (one JSON file per P patients) into D/imports/, or NDJSON of every
 * resource into FILE with --out; the app imports them through its own FHIR import path.
 */

interface Args {
  patients: number;
  seed: number;
  dataDir: string;
  out?: string;
  perFile: number;
  documentsPerPatient: number;
  content: 'cda' | 'text';
}

const USAGE =
  'Usage : npm run seed -- --patients N [--seed S] [--data-dir D] [--out FICHIER.ndjson] [--per-file P] ' +
  '[--documents-per-patient M] [--content cda|text]';

export function parseArgs(argv: string[]): Args {
  let values;
  try {
    ({ values } = parseCliArgs(argv, {
      patients: { type: 'string' },
      seed: { type: 'string' },
      'data-dir': { type: 'string' },
      out: { type: 'string' },
      'per-file': { type: 'string' },
      'documents-per-patient': { type: 'string' },
      content: { type: 'string' },
    }));
  } catch (e) {
    throw new Error(`${(e as Error).message}\n${USAGE}`, { cause: e });
  }
  const int = (name: string, v: string | undefined, min: number, max: number) => {
    const n = Number(v);
    if (!v || !Number.isInteger(n) || n < min || n > max) throw new Error(`${name} : entier attendu entre ${min} et ${max} (reçu « ${v ?? ''} »).\n${USAGE}`);
    return n;
  };
  if (values['data-dir'] === '') throw new Error(`--data-dir : dossier attendu.\n${USAGE}`);
  if (values.out === '') throw new Error(`--out : fichier attendu.\n${USAGE}`);
  if (values.patients === undefined) throw new Error(`--patients est obligatoire.\n${USAGE}`);
  const content = values.content ?? 'cda';
  if (content !== 'cda' && content !== 'text') throw new Error(`--content : « cda » ou « text » attendu.\n${USAGE}`);
  const args: Args = {
    patients: int('--patients', values.patients, 1, 5_000_000),
    seed: values.seed === undefined ? 1 : int('--seed', values.seed, 0, 2 ** 32 - 1),
    dataDir: path.resolve(values['data-dir'] ?? path.join('.data', 'demo')),
    perFile: values['per-file'] === undefined ? 1000 : int('--per-file', values['per-file'], 1, 100_000),
    documentsPerPatient: values['documents-per-patient'] === undefined ? 10 : int('--documents-per-patient', values['documents-per-patient'], 1, 100),
    content,
  };
  if (values.out) args.out = path.resolve(values.out);
  return args;
}

async function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function close(stream: NodeJS.WritableStream & { close?: unknown }): Promise<void> {
  stream.end();
  await once(stream, 'finish');
}

export async function runSeed(args: Args, log: (line: string) => void = console.log) {
  const started = Date.now();
  const total = emptyCounts();
  const files: string[] = [];
  const options = { seed: args.seed, documentsPerPatient: args.documentsPerPatient, content: args.content, perBundle: args.perFile };
  let ndjson: ReturnType<typeof createWriteStream> | undefined;
  let dir = '';
  if (args.out) {
    mkdirSync(path.dirname(args.out), { recursive: true, mode: 0o700 });
    ndjson = createWriteStream(args.out, { mode: 0o600 });
    files.push(args.out);
  } else {
    dir = path.join(args.dataDir, 'imports');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
  for (const { bundle, first, count, counts } of generateBundles(args.patients, options)) {
    addCounts(total, counts);
    if (ndjson) {
      // One line per resource; joined per bundle to keep writes large.
      await write(ndjson, bundle.entry.map((e) => JSON.stringify(e.resource)).join('\n') + '\n');
    } else {
      const file = path.join(dir, `seed-${args.seed}-${String(first).padStart(7, '0')}-${String(first + count - 1).padStart(7, '0')}.json`);
      const stream = createWriteStream(file, { mode: 0o600 });
      // Streamed entry by entry so one file never needs its whole JSON text in memory.
      await write(stream, `{"resourceType":"Bundle","id":${JSON.stringify(bundle.id)},"type":"collection","entry":[`);
      for (let i = 0; i < bundle.entry.length; i++) await write(stream, (i ? ',' : '') + JSON.stringify(bundle.entry[i]));
      await write(stream, ']}\n');
      await close(stream);
      files.push(file);
    }
    log(`… ${first + count} / ${args.patients} patients`);
  }
  if (ndjson) await close(ndjson);
  const summary = { seed: args.seed, files: files.length, output: args.out ?? dir, ...total, seconds: (Date.now() - started) / 1000 };
  log(
    `Population générée (graine ${args.seed}) : ${total.patients} patients, ${total.stays} séjours, ${total.documents} documents, ` +
      `${total.observations} résultats de biologie, ${total.allergies} allergies, ${total.treatments} traitements, ` +
      `${total.problems} diagnostics, ${total.procedures} actes — ${files.length} fichier(s) dans ${summary.output} ` +
      `en ${summary.seconds.toFixed(1)} s.`,
  );
  return summary;
}

if (require.main === module) {
  let args: Args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exit(2);
  }
  runSeed(args).catch((e: unknown) => {
    console.error(`Échec de la génération : ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
