import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomicSync } from '../fs/atomic-write';

const WorkstationFile = z.object({ id: z.string().uuid(), createdAt: z.string() });

/**
 * Creates the data directory owner-only, and makes an existing one owner-only again: `mkdir` leaves an existing
 * folder's mode alone, and one made by hand or by an older version may be 0755. Everything below is created
 * 0700/0600 by the code that writes it.
 */
export function ensureDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dataDir, 0o700);
}

/**
 * The workstation's stable identity, stamped on every audit entry. Created at
 * first start; a damaged file is an error, never silently replaced (it would
 * break the link between past journal entries and this machine).
 */
export function loadOrCreateWorkstationId(dataDir: string, now: Date): string {
  const file = path.join(dataDir, 'workstation.json');
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    const id = randomUUID();
    writeFileAtomicSync(file, JSON.stringify({ id, createdAt: now.toISOString() }, null, 2) + '\n');
    return id;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`Le fichier d'identité du poste (${file}) est illisible : restaurez-le depuis une sauvegarde.`);
  }
  const result = WorkstationFile.safeParse(parsed);
  if (!result.success) {
    throw new Error(`Le fichier d'identité du poste (${file}) est invalide : restaurez-le depuis une sauvegarde.`);
  }
  return result.data.id;
}
