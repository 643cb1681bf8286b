import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { verificationKeys } from './checkpoint';
import { readCheckpointFile, journalPath } from './files';
import { processChunk } from './verify-chunk';
import { checkCheckpoints, type Problem } from './verify-checkpoints';
import { EntryChecker, streamChunks } from './verify-entries';
import { startVerifyPool } from './verify-pool';

export interface VerifyOptions {
  /** Workstation certificate(s) PEM: the public keys checkpoints must be signed with. */
  certificatePem: string | string[];
  /** Progress in bytes of journal.log read. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Accept entries after the last checkpoint (a running journal, or one whose
   * process was killed before it could seal them). Off by default: such entries
   * are not protected by any signature.
   */
  allowUnsignedTail?: boolean;
  /** Worker threads used for hashing (default: 2, capped by the machine). */
  workers?: number;
  /** Tuning (tests): bytes per chunk, and journal size under which hashing stays on this thread. */
  chunkBytes?: number;
  inlineLimitBytes?: number;
}

export interface VerifyResult {
  ok: boolean;
  /** Entries read (valid records up to the first problem). */
  entries: number;
  /** Checkpoints whose signature and chain are valid. */
  checkpoints: number;
  /** Entries after the last valid checkpoint. */
  unsignedTail: number;
  firstBadSeq?: number;
  /** Index of the checkpoint at fault, when a checkpoint is. */
  badCheckpoint?: number;
  /** French, precise. */
  reason?: string;
}

const CHUNK = 8 * 1024 * 1024;
const INLINE_LIMIT = 4 * 1024 * 1024;

/**
 * Streams the whole journal, recomputes the RFC 9162 tree, checks every
 * checkpoint's signature, chain and root (which also proves successive
 * checkpoints consistent: both roots come from the same entries), and names the
 * first bad entry. Record hashing is spread over worker threads.
 */
export async function verifyJournal(dir: string, opts: VerifyOptions): Promise<VerifyResult> {
  const keys = verificationKeys(opts.certificatePem);
  const file = journalPath(dir);
  if (!existsSync(file)) throw new Error(`Journal introuvable : ${file}`);

  const fd = openSync(file, 'r');
  const total = fstatSync(fd).size;
  const workerCount = total <= (opts.inlineLimitBytes ?? INLINE_LIMIT) ? 0 : Math.max(1, Math.min(opts.workers ?? 2, availableParallelism()));
  const pool = workerCount > 0 ? startVerifyPool(workerCount) : null;
  let checker: EntryChecker;
  let cps: ReturnType<typeof checkCheckpoints>;
  try {
    // 1. Checkpoints: format, chain, signatures.
    cps = checkCheckpoints(readCheckpointFile(dir), keys);
    // 2. Entries, streamed in chunks hashed by workers.
    const sizes = cps.valid.map((c) => c.treeSize);
    pool?.setSizes(sizes);
    const entries = new EntryChecker(cps.valid);
    const tail = await streamChunks({
      fd,
      total,
      chunkBytes: opts.chunkBytes ?? CHUNK,
      onProgress: opts.onProgress,
      hash: pool ? (buf, length) => pool.hash(buf, length) : (buf, length) => processChunk(buf, length, sizes),
      // Bounded read-ahead: two chunks per worker.
      readAhead: workerCount * 2,
      onResult: (res, offset) => entries.handle(res, offset),
    });
    entries.finish(tail.carryBytes, tail.overlong);
    checker = entries;
  } finally {
    closeSync(fd);
    await pool?.terminate();
  }
  const { valid } = cps;
  // 3. Checkpoints beyond the entries present: entries were cut off the end.
  checker.checkBeyond();
  const tree = checker.tree;

  const problem = [checker.problem, cps.problem].filter((p): p is Problem => !!p).sort((a, b) => a.seq - b.seq)[0];
  const signedSize = !checker.problem ? (valid.at(-1)?.treeSize ?? 0) : 0;
  const unsignedTail = problem ? 0 : tree.size - signedSize;
  const base = { entries: tree.size, checkpoints: problem ? checker.checked : valid.length, unsignedTail };
  if (problem) return { ok: false, ...base, firstBadSeq: problem.seq, badCheckpoint: problem.checkpoint, reason: problem.reason };
  if (unsignedTail > 0 && !opts.allowUnsignedTail) {
    return {
      ok: false,
      ...base,
      firstBadSeq: signedSize,
      reason: `Les ${unsignedTail} dernières entrées (${signedSize} à ${tree.size - 1}) ne sont couvertes par aucun point de contrôle signé : dernier point de contrôle supprimé, ou journal pas encore scellé (rouvrez puis fermez l’application).`,
    };
  }
  return { ok: true, ...base };
}
