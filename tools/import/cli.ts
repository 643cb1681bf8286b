import { chmodSync, copyFileSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { CliUsageError, parseCliArgs } from '../../src/main/cli/args';
import { resolveDataDir } from '../../src/main/host/paths';
import { importsDir, MAX_IMPORT_FILE_BYTES } from '../../src/main/record/import-files';

/**
 * `npm run import -- FILE... [--data-dir D]`: stages FHIR R4 Bundles (JSON) or
 * NDJSON files in D/imports. The record lives in the workstation's IndexedDB,
 * so the app itself imports them ("Importer les fichiers préparés"), validating
 * each resource and reporting rejects with their position; this command checks
 * each file is readable FHIR and never leaves a half-copied file behind.
 */
const USAGE = 'Usage : npm run import -- FICHIER.json|FICHIER.ndjson... [--data-dir D]';

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

function check(file: string): { kind: 'bundle' | 'ndjson'; resources: number } {
  let size: number;
  try {
    size = statSync(file).size;
  } catch {
    fail(`Fichier introuvable : ${file}`, 2);
  }
  if (size > MAX_IMPORT_FILE_BYTES) fail(`${file} : trop volumineux (${Math.round(size / 1048576)} Mo, 128 Mo au plus) : découpez-le.`);
  const text = readFileSync(file, 'utf8');
  if (file.endsWith('.ndjson')) {
    const lines = text.split('\n').filter((l) => l.trim());
    lines.forEach((l, i) => {
      try {
        const r = JSON.parse(l) as { resourceType?: unknown };
        if (typeof r.resourceType !== 'string') throw new Error();
      } catch {
        fail(`${file}, ligne ${i + 1} : pas une ressource FHIR JSON.`);
      }
    });
    return { kind: 'ndjson', resources: lines.length };
  }
  let bundle: { resourceType?: unknown; entry?: unknown };
  try {
    bundle = JSON.parse(text) as typeof bundle;
  } catch {
    fail(`${file} : JSON illisible (un Bundle FHIR R4 est attendu).`);
  }
  if (bundle.resourceType !== 'Bundle') fail(`${file} : ce n’est pas un Bundle FHIR (resourceType « Bundle » attendu).`);
  if (bundle.entry !== undefined && !Array.isArray(bundle.entry)) fail(`${file} : « entry » doit être une liste.`);
  return { kind: 'bundle', resources: Array.isArray(bundle.entry) ? bundle.entry.length : 0 };
}

function main() {
  let parsed;
  try {
    parsed = parseCliArgs(process.argv.slice(2), { 'data-dir': { type: 'string' } }, true);
  } catch (e) {
    if (e instanceof CliUsageError) fail(`${e.message} ${USAGE}`, 2);
    throw e;
  }
  const dataDir = parsed.values['data-dir'];
  const files = parsed.positionals;
  if (files.length === 0) fail(USAGE, 2);
  const dir = importsDir(resolveDataDir(dataDir, path.resolve(__dirname, '..', '..')));
  const checked = files.map((f) => ({ f, ...check(f) }));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const { f, kind, resources } of checked) {
    const base = path.basename(f).replace(/[^A-Za-z0-9._-]/g, '_');
    const target = path.join(dir, /\.(json|ndjson)$/.test(base) ? base : `${base}.json`);
    const tmp = `${target}.${process.pid}.part`;
    copyFileSync(f, tmp);
    chmodSync(tmp, 0o600); // a copy keeps the source's mode; patient data is the owner's only
    renameSync(tmp, target);
    console.log(`${path.basename(target)} : ${resources} ressource(s) (${kind === 'bundle' ? 'Bundle' : 'NDJSON'}) prête(s) à importer.`);
  }
  console.log(`Dans le poste : « Importer des données… » puis « Importer les fichiers préparés » (${dir}).`);
}

main();
