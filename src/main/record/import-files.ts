import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { BridgeFailure } from '../../shared/bridge/result';

/** Bundles larger than this are refused: the renderer parses a file in one piece. */
export const MAX_IMPORT_FILE_BYTES = 128 * 1024 * 1024;
const NAME = /^[A-Za-z0-9._-]{1,120}\.(json|ndjson)$/;

export function importsDir(dataDir: string): string {
  return path.join(dataDir, 'imports');
}

/** FHIR files prepared on this workstation (`npm run seed`, an export from the hospital's system). */
export async function listImportFiles(dataDir: string): Promise<{ name: string; bytes: number }[]> {
  let names: string[];
  try {
    names = await fsp.readdir(importsDir(dataDir));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const files = await Promise.all(
    names
      .filter((n) => NAME.test(n))
      .sort()
      .map(async (name) => ({ name, bytes: (await fsp.stat(path.join(importsDir(dataDir), name))).size })),
  );
  return files;
}

/** One prepared file's text; the name must be a plain file of the imports folder (no path, no traversal). */
export async function readImportFile(dataDir: string, name: string): Promise<string> {
  if (!NAME.test(name)) throw new BridgeFailure('INVALID_INPUT', 'Nom de fichier d’import invalide.');
  const file = path.join(importsDir(dataDir), name);
  let stat;
  try {
    stat = await fsp.stat(file);
  } catch {
    throw new BridgeFailure('NOT_FOUND', `Fichier d’import introuvable : ${name}.`);
  }
  if (!stat.isFile()) throw new BridgeFailure('INVALID_INPUT', `${name} n’est pas un fichier.`);
  if (stat.size > MAX_IMPORT_FILE_BYTES) throw new BridgeFailure('INVALID_INPUT', `${name} est trop volumineux (${Math.round(stat.size / 1048576)} Mo, 128 Mo au plus) : découpez-le.`);
  return fsp.readFile(file, 'utf8');
}
