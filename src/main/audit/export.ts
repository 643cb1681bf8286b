import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import { writeFileAtomicSync } from '../fs/atomic-write';
import { publicCheckpoint, type Checkpoint } from './checkpoint';
import { serializeEntry } from './entry';
import { toFhirBundle } from './fhir';
import { journalPath, readCheckpointFile } from './files';
import { queryJournal } from './query';

export interface ExportOptions {
  from: Date | string;
  to: Date | string;
  /** IPP or INS. */
  patient?: string;
  /** User id. */
  user?: string;
  format: 'fhir' | 'jsonl';
  /** Written atomically when given; otherwise the text is returned. */
  out?: string;
  /** Bundle timestamp (default: now). */
  now?: Date;
}

export interface ExportResult {
  entries: number;
  checkpoints: number;
  /** The export text when no `out` file was given. */
  data?: string;
}

/**
 * Entries of a period (optionally of one patient or user) with the signed
 * checkpoints covering them, as a FHIR R4 Bundle or JSON lines (one entry's
 * exact bytes per line, then one {"checkpoint": …} line per checkpoint), for
 * the DPO and the hospital's audit repository. Reads the files only: safe
 * while the application runs.
 */
export async function exportJournal(dir: string, opts: ExportOptions): Promise<ExportResult> {
  if (opts.format !== 'fhir' && opts.format !== 'jsonl') throw new Error('Format d’export inconnu : « fhir » ou « jsonl » attendu.');
  const file = journalPath(dir);
  if (!existsSync(file)) throw new Error(`Journal introuvable : ${file}`);
  const fd = openSync(file, 'r');
  let entries;
  try {
    ({ entries } = await queryJournal(fd, fstatSync(fd).size, {
      from: opts.from,
      to: opts.to,
      patient: opts.patient,
      userId: opts.user,
      limit: Number.MAX_SAFE_INTEGER,
    }));
  } finally {
    closeSync(fd);
  }
  const cps: Checkpoint[] = [];
  if (entries.length > 0) {
    const minSeq = (entries[0] as { seq: number }).seq;
    const maxSeq = (entries[entries.length - 1] as { seq: number }).seq;
    for (const c of readCheckpointFile(dir).checkpoints) {
      if (c.treeSize <= minSeq) continue;
      cps.push(publicCheckpoint(c));
      if (c.treeSize > maxSeq) break;
    }
  }
  const data =
    opts.format === 'fhir'
      ? JSON.stringify(toFhirBundle(entries, cps, (opts.now ?? new Date()).toISOString()), null, 2) + '\n'
      : entries.map((e) => serializeEntry(e) + '\n').join('') + cps.map((c) => JSON.stringify({ checkpoint: c }) + '\n').join('');
  if (opts.out) {
    writeFileAtomicSync(opts.out, data);
    return { entries: entries.length, checkpoints: cps.length };
  }
  return { entries: entries.length, checkpoints: cps.length, data };
}
