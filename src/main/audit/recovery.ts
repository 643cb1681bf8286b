import { ftruncateSync, fstatSync, fsyncSync } from 'node:fs';
import type { StoredCheckpoint } from './checkpoint';
import { readCheckpointFile } from './files';
import { CompactTree, foldRoot, fromBuf, popcount } from './merkle';
import { checkRecord } from './record';
import { scanLines } from './scan';

/** What recovery cut at open, if anything. */
export interface RecoveryReport {
  bytesCut: number;
  partialRecord: boolean;
  checkpointBytesCut: number;
}

/** The journal as found on disk once a torn tail is repaired. */
export interface RecoveredJournal {
  /** Tree of every entry in journal.log (resumed from the last checkpoint's compact range when coherent). */
  tree: CompactTree;
  /** Bytes of journal.log holding whole valid records. */
  fileBytes: number;
  /** Checkpoints in checkpoints.log, and the last one. */
  checkpoints: number;
  lastCp: StoredCheckpoint | null;
  recovery: RecoveryReport | null;
}

const fromB64 = (s: string) => fromBuf(Buffer.from(s, 'base64'));

/**
 * Reads both files, cuts a tail torn by a crash (a checkpoint line without
 * newline, journal records after the last valid one when nothing valid
 * follows them) and refuses damage anywhere else. Throws French messages that
 * send the operator to `npm run journal -- verify`.
 */
export async function recoverJournal(dir: string, fd: number, cpFd: number): Promise<RecoveredJournal> {
  // Checkpoints: drop a line cut by a crash; refuse a damaged chain.
  const cpFile = readCheckpointFile(dir);
  if (cpFile.bad) {
    throw new Error(
      `Journal d’audit : le point de contrôle n°${cpFile.bad.index} est illisible (${cpFile.bad.reason}). Lancez « npm run journal -- verify » et faites examiner le journal avant de le rouvrir.`,
    );
  }
  if (cpFile.tornBytes > 0) {
    ftruncateSync(cpFd, cpFile.validBytes);
    fsyncSync(cpFd);
  }
  const checkpoints = cpFile.checkpoints.length;
  const lastCp = cpFile.checkpoints[checkpoints - 1] ?? null;

  const journalSize = fstatSync(fd).size;
  const { tree, start } = resumePoint(lastCp, journalSize);
  const found: { damaged: { offset: number; seq: number; reason: string } | null } = { damaged: null };
  const scan = await scanLines(fd, start, journalSize, (buf, s, nl, offset) => {
    const r = checkRecord(buf, s, nl);
    if (!r.ok || r.seq !== tree.size) {
      found.damaged = { offset, seq: tree.size, reason: r.ok ? `numéro de séquence ${r.seq} au lieu de ${tree.size}` : r.reason };
      return false;
    }
    tree.push(r.leaf);
  });
  const damaged = found.damaged;
  if (lastCp && tree.size < lastCp.treeSize) {
    throw new Error(`Journal d’audit incohérent : ${tree.size} entrées lisibles pour ${lastCp.treeSize} signées. Lancez « npm run journal -- verify ».`);
  }
  const fileBytes = scan.end;
  let recovery: RecoveryReport | null = null;
  if (fileBytes < journalSize) {
    // Only a tail holding no further valid record is a torn write; anything else is damage.
    if (damaged !== null && (await validRecordFrom(fd, damaged.offset, journalSize))) {
      throw new Error(`Journal d’audit endommagé à l’entrée ${damaged.seq} (${damaged.reason}), suivie d’entrées valides. Lancez « npm run journal -- verify ».`);
    }
    ftruncateSync(fd, fileBytes);
    fsyncSync(fd);
    recovery = { bytesCut: journalSize - fileBytes, partialRecord: damaged === null, checkpointBytesCut: cpFile.tornBytes };
  } else if (cpFile.tornBytes > 0) {
    recovery = { bytesCut: 0, partialRecord: false, checkpointBytesCut: cpFile.tornBytes };
  }
  return { tree, fileBytes, checkpoints, lastCp, recovery };
}

/** Resume from the last checkpoint's hints when they are coherent, else rescan from the start. */
function resumePoint(lastCp: StoredCheckpoint | null, journalSize: number): { tree: CompactTree; start: number } {
  if (!lastCp) return { tree: new CompactTree(), start: 0 };
  if (lastCp.journalBytes > journalSize) {
    throw new Error(
      `Journal d’audit tronqué : le point de contrôle n°${lastCp.index} couvre ${lastCp.journalBytes} octets mais le fichier n’en a que ${journalSize}. Lancez « npm run journal -- verify ».`,
    );
  }
  const compact = lastCp.compact.map(fromB64);
  if (popcount(lastCp.treeSize) === compact.length && foldRoot(compact) === fromB64(lastCp.rootHash)) {
    return { tree: new CompactTree(lastCp.treeSize, compact), start: lastCp.journalBytes };
  }
  return { tree: new CompactTree(), start: 0 };
}

async function validRecordFrom(fd: number, offset: number, limit: number): Promise<boolean> {
  let found = false;
  await scanLines(fd, offset, limit, (buf, s, nl) => {
    if (checkRecord(buf, s, nl).ok) found = true;
    return !found;
  });
  return found;
}
