import { closeSync, existsSync, fstatSync, openSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../host/worker';
import { checkSignature, checkpointHash, verificationKeys, type StoredCheckpoint } from './checkpoint';
import { MAX_ENTRY_BYTES } from './entry';
import { readCheckpointFile, journalPath } from './files';
import { CompactTree, appendRange, fromBuf, toBuf } from './merkle';
import { PREFIX_BYTES } from './record';
import { readAt } from './scan';
import { processChunk, type ChunkResult } from './verify-chunk';

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
const workerFile = path.join(__dirname, __filename.endsWith('.ts') ? 'verify-worker.ts' : 'verify-worker.js');

interface Problem {
  seq: number;
  reason: string;
  checkpoint?: number;
}

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
  const pool: Worker[] = [];
  const waiting = new Map<number, (r: ChunkResult) => void>();
  let poolError: Error | null = null;
  let failPool: (err: Error) => void = () => {};
  const poolFailed = new Promise<void>((_, reject) => {
    failPool = reject;
  });
  poolFailed.catch(() => {});
  for (let i = 0; i < workerCount; i++) {
    const w = startWorker(workerFile);
    w.on('message', (m: { id: number; result: ChunkResult }) => {
      const cb = waiting.get(m.id);
      waiting.delete(m.id);
      cb?.(m.result);
    });
    w.on('error', (err) => {
      poolError = new Error(`Échec d’un processus de vérification : ${err.message}`);
      failPool(poolError);
    });
    pool.push(w);
  }

  // 1. Checkpoints: format, chain, signatures.
  let cpFile: ReturnType<typeof readCheckpointFile>;
  try {
    cpFile = readCheckpointFile(dir);
  } catch (err) {
    closeSync(fd);
    await Promise.all(pool.map((w) => w.terminate()));
    throw err;
  }
  let cpProblem: Problem | undefined;
  const valid: StoredCheckpoint[] = [];
  let origin: string | undefined;
  for (const cp of cpFile.checkpoints) {
    const i = valid.length;
    const prev = valid[i - 1];
    const prevSize = prev ? prev.treeSize : 0;
    let reason: string | null;
    if (cp.index !== i) reason = `porte le numéro ${cp.index} au lieu de ${i} (point de contrôle supprimé, inséré ou déplacé)`;
    else if (cp.prev !== (prev ? checkpointHash(prev) : '')) reason = 'n’est pas chaîné au point de contrôle précédent (supprimé, inséré ou modifié)';
    else if (origin !== undefined && cp.origin !== origin) reason = `appartient à un autre journal (${cp.origin})`;
    else if (cp.treeSize <= prevSize) reason = `couvre ${cp.treeSize} entrées, pas plus que le précédent (${prevSize})`;
    else reason = checkSignature(cp, keys);
    if (reason) {
      cpProblem = { seq: prevSize, checkpoint: i, reason: `Point de contrôle n°${i} : ${reason}.` };
      break;
    }
    origin = cp.origin;
    valid.push(cp);
  }
  if (!cpProblem && cpFile.bad) {
    const prevSize = (valid.at(-1)?.treeSize ?? 0);
    cpProblem = { seq: prevSize, checkpoint: cpFile.bad.index, reason: `Point de contrôle n°${cpFile.bad.index} illisible : ${cpFile.bad.reason}.` };
  } else if (!cpProblem && cpFile.tornBytes > 0) {
    const prevSize = (valid.at(-1)?.treeSize ?? 0);
    cpProblem = {
      seq: prevSize,
      checkpoint: valid.length,
      reason: `Point de contrôle n°${valid.length} incomplet (${cpFile.tornBytes} octets en fin de fichier) : arrêt brutal probable, rouvrez l’application pour réparer.`,
    };
  }
  const sizes = valid.map((c) => c.treeSize);
  const rootBySize = new Map(valid.map((c) => [c.treeSize, c] as const));

  // 2. Entries, streamed in chunks hashed by workers.
  for (const w of pool) w.postMessage({ sizes });
  const tree = new CompactTree();
  let entryProblem: Problem | undefined;
  let checkedCheckpoints = 0;
  const handle = (res: ChunkResult, chunkOffset: number): boolean => {
    if (res.count > 0 && res.first !== tree.size) {
      entryProblem = { seq: tree.size, reason: `Entrée ${tree.size} : numéro de séquence ${res.first} au lieu de ${tree.size} (entrée supprimée, insérée ou déplacée).` };
      return false;
    }
    for (const snap of res.snapshots) {
      const t = tree.clone();
      appendRange(t, snap.nodes);
      const cp = rootBySize.get(snap.size) as StoredCheckpoint;
      const hintsOk = cp.journalBytes === chunkOffset + snap.endInChunk && cp.compact.join() === t.hashes.map((h) => toBuf(h).toString('base64')).join();
      if (t.root() === fromBuf(Buffer.from(cp.rootHash, 'base64')) && !hintsOk) {
        entryProblem = {
          seq: cp.treeSize,
          checkpoint: cp.index,
          reason: `Point de contrôle n°${cp.index} : position dans le fichier ou plage compacte altérée.`,
        };
        return false;
      }
      if (t.root() !== fromBuf(Buffer.from(cp.rootHash, 'base64'))) {
        const before = valid[cp.index - 1]?.treeSize ?? 0;
        entryProblem = {
          seq: before,
          checkpoint: cp.index,
          reason: `Les entrées ${before} à ${cp.treeSize - 1} ne correspondent pas à la racine signée du point de contrôle n°${cp.index} : au moins une a été modifiée, insérée, supprimée ou déplacée.`,
        };
        return false;
      }
      checkedCheckpoints++;
    }
    appendRange(tree, res.nodes);
    if (res.error) {
      entryProblem = {
        seq: tree.size,
        reason: `Entrée ${tree.size} (octet ${chunkOffset + res.error.offsetInChunk}) : ${res.error.reason}.`,
      };
      return false;
    }
    return true;
  };

  try {
    let fileOffset = 0;
    let carry = Buffer.alloc(0);
    let id = 0;
    let nextToHandle = 0;
    const pendingResults = new Map<number, { res: ChunkResult; offset: number }>();
    const inFlight: Promise<void>[] = [];
    let stop = false;
    let overlong = false;

    const drainReady = () => {
      while (!stop && pendingResults.has(nextToHandle)) {
        const { res, offset } = pendingResults.get(nextToHandle) as { res: ChunkResult; offset: number };
        pendingResults.delete(nextToHandle);
        nextToHandle++;
        if (!handle(res, offset)) stop = true;
      }
    };

    while (!stop && !overlong && fileOffset < total) {
      if (poolError) throw poolError;
      const want = Math.min(opts.chunkBytes ?? CHUNK, total - fileOffset);
      const buf = Buffer.allocUnsafeSlow(1 + carry.length + want);
      buf[0] = 0;
      carry.copy(buf, 1);
      const got = await readAt(fd, buf, 1 + carry.length, want, fileOffset);
      if (got === 0) break;
      fileOffset += got;
      const filled = 1 + carry.length + got;
      const chunkStart = fileOffset - got - carry.length;
      const lastNl = buf.lastIndexOf(0x0a, filled - 1);
      const end = lastNl < 1 ? 1 : lastNl + 1;
      carry = Buffer.from(buf.subarray(end, filled));
      if (carry.length > MAX_ENTRY_BYTES + PREFIX_BYTES + 1) overlong = true;
      opts.onProgress?.(fileOffset - carry.length, total);
      if (end === 1) continue;
      const myId = id++;
      if (workerCount === 0) {
        pendingResults.set(myId, { res: processChunk(buf, end, sizes), offset: chunkStart });
        drainReady();
      } else {
        const w = pool[myId % workerCount] as Worker;
        inFlight.push(
          new Promise<void>((resolve) => {
            waiting.set(myId, (res) => {
              pendingResults.set(myId, { res, offset: chunkStart });
              drainReady();
              resolve();
            });
            w.postMessage({ id: myId, buf: buf.buffer, length: end }, [buf.buffer as ArrayBuffer]);
          }),
        );
        // Bounded read-ahead: two chunks per worker.
        if (inFlight.length >= workerCount * 2) await inFlight.shift();
      }
    }
    while (inFlight.length > 0 && !poolError) await Promise.race([inFlight.shift(), poolFailed]);
    if (poolError) throw poolError;
    drainReady();
    if (!stop && !entryProblem && overlong) {
      entryProblem = { seq: tree.size, reason: `Entrée ${tree.size} : enregistrement sans fin de ligne plus long que toute entrée possible (${carry.length} octets).` };
    } else if (!stop && !entryProblem && carry.length > 0) {
      entryProblem = {
        seq: tree.size,
        reason: `Entrée ${tree.size} : enregistrement incomplet en fin de journal (${carry.length} octets sans fin de ligne) — arrêt brutal probable ou troncature ; rouvrez l’application pour réparer.`,
      };
    }
  } finally {
    closeSync(fd);
    await Promise.all(pool.map((w) => w.terminate()));
  }

  // 3. Checkpoints beyond the entries present: entries were cut off the end.
  if (!entryProblem) {
    const beyond = valid.find((c) => c.treeSize > tree.size);
    if (beyond) {
      entryProblem = {
        seq: tree.size,
        checkpoint: beyond.index,
        reason: `Le point de contrôle n°${beyond.index} couvre ${beyond.treeSize} entrées mais le journal n’en contient que ${tree.size} : des entrées ont été supprimées en fin de journal.`,
      };
    }
  }

  const problem = [entryProblem, cpProblem].filter((p): p is Problem => !!p).sort((a, b) => a.seq - b.seq)[0];
  const signedSize = !entryProblem ? (valid.at(-1)?.treeSize ?? 0) : 0;
  const unsignedTail = problem ? 0 : tree.size - signedSize;
  const base = { entries: tree.size, checkpoints: problem ? checkedCheckpoints : valid.length, unsignedTail };
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


