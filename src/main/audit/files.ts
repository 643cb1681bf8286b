import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseCheckpointLine, type StoredCheckpoint } from './checkpoint';

export const JOURNAL_FILE = 'journal.log';
export const CHECKPOINTS_FILE = 'checkpoints.log';

export const journalPath = (dir: string): string => path.join(dir, JOURNAL_FILE);
export const checkpointsPath = (dir: string): string => path.join(dir, CHECKPOINTS_FILE);

export interface CheckpointFile {
  checkpoints: StoredCheckpoint[];
  /** Bytes of complete lines. */
  validBytes: number;
  /** Bytes of a last line without newline (a write cut by a crash). */
  tornBytes: number;
  /** First complete line that does not parse. */
  bad?: { index: number; reason: string };
}

export function readCheckpointFile(dir: string): CheckpointFile {
  const file = checkpointsPath(dir);
  if (!existsSync(file)) return { checkpoints: [], validBytes: 0, tornBytes: 0 };
  const buf = readFileSync(file);
  const checkpoints: StoredCheckpoint[] = [];
  let pos = 0;
  let bad: CheckpointFile['bad'];
  while (pos < buf.length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0) break;
    if (!bad) {
      try {
        checkpoints.push(parseCheckpointLine(buf.toString('utf8', pos, nl)));
      } catch (err) {
        bad = { index: checkpoints.length, reason: (err as Error).message };
      }
    }
    pos = nl + 1;
  }
  return { checkpoints, validBytes: pos, tornBytes: buf.length - pos, bad };
}
