import { closeSync, fdatasync, fstatSync, ftruncateSync, fsyncSync, mkdirSync, openSync, write } from 'node:fs';
import type { AuditEventInput } from '../host/audit-port';
import type { Clock } from '../host/clock';
import {
  checkSignature,
  checkpointHash,
  checkpointLine,
  originFor,
  publicCheckpoint,
  signedBody,
  verificationKeys,
  type Checkpoint,
  type StoredCheckpoint,
} from './checkpoint';
import { AuditInputError, MAX_ENTRY_BYTES, formatTime, serializeEntry, validateAuditInput, type JournalEntry } from './entry';
import { checkpointsPath, journalPath, readCheckpointFile } from './files';
import { CompactTree, consistencyPath, foldRoot, fromBuf, inclusionPath, popcount, toBuf, type BinHash } from './merkle';
import { queryJournal, type JournalQuery, type QueryResult } from './query';
import { checkRecord, encodeRecord, recordJson } from './record';
import { scanLines } from './scan';
import type { Signer } from './signer';

export interface JournalOptions {
  /** Directory of the journal files (e.g. <data dir>/journal). Created if missing. */
  dir: string;
  signer: Signer;
  /** If given, each new checkpoint is verified against it before being written. */
  verifierCert?: string;
  clock: Clock;
  workstationId: string;
  /** Sign a checkpoint once this many entries are not yet covered (default 1000). */
  checkpointEveryEntries?: number;
  /** …or when uncovered entries are this old (default 10 000 ms). */
  checkpointEveryMs?: number;
  /** Group commit: most entries per write+fdatasync (default 100). */
  maxBatchEntries?: number;
  /** Group commit: batches whose fdatasync may overlap (default 4). */
  maxInflightSyncs?: number;
  /** Errors of background checkpoints (they are also thrown by the next checkpoint()/close()). */
  onError?: (err: Error) => void;
}

export interface InclusionProof {
  seq: number;
  /** The entry bytes (canonical JSON) whose leaf hash is proven. */
  entry: string;
  leafHash: string;
  treeSize: number;
  rootHash: string;
  /** Base64 hashes, RFC 9162 order. */
  proof: string[];
  checkpoint: Checkpoint;
}

export interface ConsistencyProof {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[];
}

export interface Journal {
  /** Resolves once the entry is on disk (fdatasync). */
  append(input: AuditEventInput): Promise<{ seq: number }>;
  /** Signs a checkpoint over every entry appended before the call (lock, quit); the latest one if nothing new. */
  checkpoint(): Promise<Checkpoint | null>;
  /** Seals with a final checkpoint and closes the files. The signer stays open (its owner closes it). */
  close(): Promise<void>;
  /** Entries on disk. */
  size(): number;
  query(filter?: JournalQuery): Promise<QueryResult>;
  breakGlassEntries(filter?: JournalQuery): Promise<QueryResult>;
  /** Inclusion proof of an entry against the latest checkpoint. */
  prove(seq: number): Promise<InclusionProof>;
  /** Consistency proof between two checkpointed sizes (default: from size1 to the latest checkpoint). */
  proveConsistency(size1: number, size2?: number): Promise<ConsistencyProof>;
  latestCheckpoint(): Checkpoint | null;
  readonly dir: string;
}

/** What recovery cut at open, if anything. */
export interface RecoveryReport {
  bytesCut: number;
  partialRecord: boolean;
  checkpointBytesCut: number;
}

interface Pending {
  seq: number;
  line: Buffer;
  leaf: BinHash;
  resolve: (v: { seq: number }) => void;
  reject: (e: Error) => void;
}

const b64 = (h: BinHash): string => toBuf(h).toString('base64');
const fromB64 = (s: string): BinHash => fromBuf(Buffer.from(s, 'base64'));

function writeAll(fd: number, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let off = 0;
    const step = (): void =>
      write(fd, buf, off, buf.length - off, null, (err, n) => {
        if (err) return reject(err);
        off += n;
        if (off < buf.length) step();
        else resolve();
      });
    step();
  });
}

const syncData = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/**
 * Opens (creating if needed) the journal in opts.dir, repairs a tail cut by a
 * crash (recording a journal.recovered entry) and seals entries left unsigned
 * by the previous run with a checkpoint.
 */
export async function openJournal(opts: JournalOptions): Promise<Journal & { recovery: RecoveryReport | null }> {
  const { dir, signer, clock, workstationId } = opts;
  const everyEntries = opts.checkpointEveryEntries ?? 1000;
  const everyMs = opts.checkpointEveryMs ?? 10_000;
  const maxBatch = opts.maxBatchEntries ?? 100;
  const maxInflight = Math.max(1, opts.maxInflightSyncs ?? 4);
  const origin = originFor(workstationId);
  const verifyKeys = opts.verifierCert ? verificationKeys(opts.verifierCert) : null;
  if (verifyKeys && !verifyKeys.has(signer.keyId)) {
    throw new Error('La clé de signature du journal ne correspond pas au certificat du poste.');
  }

  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fd = openSync(journalPath(dir), 'a+', 0o600);
  let cpFd: number;
  try {
    cpFd = openSync(checkpointsPath(dir), 'a+', 0o600);
  } catch (err) {
    closeSync(fd);
    throw err;
  }

  let recovery: RecoveryReport | null = null;
  let tree: CompactTree;
  let fileBytes: number;
  let checkpoints: number;
  let lastCp: StoredCheckpoint | null;
  try {
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
    checkpoints = cpFile.checkpoints.length;
    lastCp = cpFile.checkpoints[checkpoints - 1] ?? null;

    // Resume from the last checkpoint's hints when they are coherent, else rescan.
    const journalSize = fstatSync(fd).size;
    let start = 0;
    tree = new CompactTree();
    if (lastCp) {
      if (lastCp.journalBytes > journalSize) {
        throw new Error(
          `Journal d’audit tronqué : le point de contrôle n°${lastCp.index} couvre ${lastCp.journalBytes} octets mais le fichier n’en a que ${journalSize}. Lancez « npm run journal -- verify ».`,
        );
      }
      const compact = lastCp.compact.map(fromB64);
      if (popcount(lastCp.treeSize) === compact.length && foldRoot(compact) === fromB64(lastCp.rootHash)) {
        tree = new CompactTree(lastCp.treeSize, compact);
        start = lastCp.journalBytes;
      }
    }
    const found: { damaged: { offset: number; seq: number; reason: string } | null } = { damaged: null };
    const t = tree;
    const scan = await scanLines(fd, start, journalSize, (buf, s, nl, offset) => {
      const r = checkRecord(buf, s, nl);
      if (!r.ok || r.seq !== t.size) {
        found.damaged = { offset, seq: t.size, reason: r.ok ? `numéro de séquence ${r.seq} au lieu de ${t.size}` : r.reason };
        return false;
      }
      t.push(r.leaf);
    });
    const damaged = found.damaged;
    if (lastCp && tree.size < lastCp.treeSize) {
      throw new Error(`Journal d’audit incohérent : ${tree.size} entrées lisibles pour ${lastCp.treeSize} signées. Lancez « npm run journal -- verify ».`);
    }
    fileBytes = scan.end;
    if (fileBytes < journalSize) {
      // Only a tail holding no further valid record is a torn write; anything else is damage.
      let laterValid = false;
      if (damaged !== null) {
        await scanLines(fd, damaged.offset, journalSize, (buf, s, nl) => {
          const r = checkRecord(buf, s, nl);
          if (r.ok) laterValid = true;
          return !laterValid;
        });
      }
      if (laterValid) {
        const d = damaged as { seq: number; reason: string };
        throw new Error(`Journal d’audit endommagé à l’entrée ${d.seq} (${d.reason}), suivie d’entrées valides. Lancez « npm run journal -- verify ».`);
      }
      ftruncateSync(fd, fileBytes);
      fsyncSync(fd);
      recovery = { bytesCut: journalSize - fileBytes, partialRecord: damaged === null, checkpointBytesCut: cpFile.tornBytes };
    } else if (cpFile.tornBytes > 0) {
      recovery = { bytesCut: 0, partialRecord: false, checkpointBytesCut: cpFile.tornBytes };
    }
  } catch (err) {
    closeSync(fd);
    closeSync(cpFd);
    throw err;
  }

  let nextSeq = tree.size;
  let queue: Pending[] = [];
  let scheduled = false;
  let lastAppend: Promise<unknown> = Promise.resolve();
  let broken: Error | null = null;
  let closed = false;
  let cpChain: Promise<unknown> = Promise.resolve();
  let cpPending = false;
  const onError = opts.onError ?? ((e: Error) => console.error(`[journal d’audit] ${e.message}`));

  // Background checkpoints (every N entries / T ms): one at a time, failures reported.
  const scheduleCheckpoint = (): void => {
    if (cpPending || closed) return;
    cpPending = true;
    cpChain = cpChain
      .then(() => signCheckpoint())
      .catch((err: unknown) => onError(err instanceof Error ? err : new Error(String(err))))
      .finally(() => {
        cpPending = false;
      });
  };

  /**
   * Group commit, pipelined: a batch (≤ maxBatch entries, whatever queued since
   * the previous batch was cut — never more than one sync's wait) is written,
   * then fdatasync'd; up to maxInflight batches are in flight, because one
   * fdatasync on a busy disk takes milliseconds while several overlap almost
   * for free. Writes happen in order and batches are acknowledged in order, so
   * an acknowledged entry never follows a lost one.
   */
  let inflight = 0;
  let writeChain: Promise<void> = Promise.resolve();
  let commitChain: Promise<void> = Promise.resolve();

  const fail = (err: unknown, batch: Pending[]): void => {
    // The file may hold part of a batch: stop accepting entries; reopening repairs the tail.
    broken ??= new Error(`Écriture du journal d’audit impossible (${(err as Error).message}) : l’application doit être redémarrée.`);
    for (const p of [...batch, ...queue]) p.reject(broken);
    queue = [];
  };

  const flush = (): void => {
    scheduled = false;
    while (queue.length > 0 && inflight < maxInflight && !broken) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = queue.length <= maxBatch ? [] : queue.slice(maxBatch);
      const data = batch.length === 1 ? (batch[0] as Pending).line : Buffer.concat(batch.map((p) => p.line));
      inflight++;
      const written = writeChain.then(() => (broken ? Promise.reject(broken) : writeAll(fd, data)));
      writeChain = written.catch(() => undefined);
      const synced = written.then(() => syncData(fd));
      commitChain = commitChain.then(() =>
        synced.then(
          () => {
            inflight--;
            if (broken) {
              for (const p of batch) p.reject(broken);
              return;
            }
            fileBytes += data.length;
            for (const p of batch) tree.push(p.leaf);
            for (const p of batch) p.resolve({ seq: p.seq });
            if (tree.size - (lastCp?.treeSize ?? 0) >= everyEntries) scheduleCheckpoint();
            if (queue.length > 0) flush();
          },
          (err: unknown) => {
            inflight--;
            fail(err, batch);
          },
        ),
      );
    }
  };

  const signCheckpoint = async (): Promise<StoredCheckpoint | null> => {
    const size = tree.size;
    if (size === 0 || (lastCp && lastCp.treeSize >= size)) return lastCp;
    {
      const compact = tree.hashes.slice();
      const journalBytes = fileBytes;
      const body: Omit<Checkpoint, 'signature'> = {
        index: checkpoints,
        origin,
        treeSize: size,
        rootHash: b64(foldRoot(compact)),
        time: formatTime(clock.now()),
        keyId: signer.keyId,
        prev: lastCp ? checkpointHash(lastCp) : '',
      };
      const signature = (await signer.sign(signedBody(body))).toString('base64');
      const cp: StoredCheckpoint = { ...body, signature, journalBytes, compact: compact.map(b64) };
      if (verifyKeys) {
        const bad = checkSignature(cp, verifyKeys);
        if (bad) throw new Error(`Point de contrôle du journal non écrit : ${bad}.`);
      }
      await writeAll(cpFd, Buffer.from(checkpointLine(cp), 'utf8'));
      await syncData(cpFd);
      lastCp = cp;
      checkpoints++;
      return cp;
    }
  };

  const timer = setInterval(() => {
    if (tree.size > (lastCp?.treeSize ?? 0)) scheduleCheckpoint();
  }, everyMs);
  timer.unref();

  const append = (input: AuditEventInput): Promise<{ seq: number }> => {
    if (closed) return Promise.reject(new Error('Le journal d’audit est fermé.'));
    if (broken) return Promise.reject(broken);
    let line: Buffer;
    let leaf: BinHash;
    const seq = nextSeq;
    try {
      const ev = validateAuditInput(input);
      const entry: JournalEntry = { seq, time: formatTime(clock.now()), type: ev.type, action: ev.action, outcome: ev.outcome, workstationId };
      if (ev.agent) entry.agent = ev.agent;
      if (ev.patient) entry.patient = ev.patient;
      if (ev.entity) entry.entity = ev.entity;
      if (ev.purposeOfUse) entry.purposeOfUse = ev.purposeOfUse;
      if (ev.detail) entry.detail = ev.detail;
      ({ line, leaf } = encodeRecord(serializeEntry(entry)));
      if (line.length > MAX_ENTRY_BYTES) throw new AuditInputError(`Événement d’audit trop volumineux (${line.length} octets, maximum ${MAX_ENTRY_BYTES}).`);
    } catch (err) {
      return Promise.reject(err);
    }
    nextSeq++;
    const p = new Promise<{ seq: number }>((resolve, reject) => {
      queue.push({ seq, line, leaf, resolve, reject });
    });
    lastAppend = p;
    if (!scheduled && inflight < maxInflight) {
      scheduled = true;
      // Entries appended in the same tick join the batch.
      setImmediate(flush);
    }
    return p;
  };

  const idle = async (): Promise<void> => {
    // Every append made before the call is durable once its promise settles.
    await lastAppend.catch(() => undefined);
  };

  const checkpoint = async (): Promise<Checkpoint | null> => {
    await idle();
    const run = cpChain.then(() => signCheckpoint());
    cpChain = run.catch(() => undefined);
    const cp = await run;
    return cp ? publicCheckpoint(cp) : null;
  };

  /** Leaf hashes of entries [0, count), streamed from the file. */
  const leafHashes = async (count: number): Promise<BinHash[]> => {
    const leaves: BinHash[] = [];
    await scanLines(fd, 0, fileBytes, (buf, s, nl) => {
      if (leaves.length >= count) return false;
      const r = checkRecord(buf, s, nl);
      if (!r.ok || r.seq !== leaves.length) {
        throw new Error(`Journal d’audit endommagé à l’entrée ${leaves.length} : lancez « npm run journal -- verify ».`);
      }
      leaves.push(r.leaf);
    });
    if (leaves.length < count) throw new Error(`Journal d’audit incomplet : ${leaves.length} entrées au lieu de ${count}.`);
    return leaves;
  };

  const subtreeFrom = (leaves: readonly BinHash[]) => {
    // Proofs ask O(log n) subtrees whose sizes sum to about n: O(n) hashes in all.
    return (start: number, end: number): BinHash => {
      const t = new CompactTree();
      for (let i = start; i < end; i++) t.push(leaves[i] as BinHash);
      return t.root();
    };
  };

  const journal: Journal & { recovery: RecoveryReport | null } = {
    dir,
    recovery,
    append,
    checkpoint,
    size: () => tree.size,
    latestCheckpoint: () => (lastCp ? publicCheckpoint(lastCp) : null),
    query: (filter = {}) => queryJournal(fd, fileBytes, filter),
    breakGlassEntries: (filter = {}) => queryJournal(fd, fileBytes, { ...filter, breakGlass: true }),
    async prove(seq: number): Promise<InclusionProof> {
      const cp = lastCp;
      if (!Number.isSafeInteger(seq) || seq < 0) throw new Error('Numéro d’entrée invalide.');
      if (!cp || seq >= cp.treeSize) {
        throw new Error(`L’entrée ${seq} n’est pas encore couverte par un point de contrôle signé${cp ? ` (dernier : ${cp.treeSize} entrées)` : ''}.`);
      }
      const leaves = await leafHashes(cp.treeSize);
      const mth = subtreeFrom(leaves);
      let entry = '';
      await scanLines(fd, 0, fileBytes, (buf, s, nl) => {
        const r = checkRecord(buf, s, nl);
        if (r.ok && r.seq === seq) {
          entry = recordJson(buf, s, nl);
          return false;
        }
      });
      return {
        seq,
        entry,
        leafHash: b64(leaves[seq] as BinHash),
        treeSize: cp.treeSize,
        rootHash: cp.rootHash,
        proof: inclusionPath(seq, cp.treeSize, mth).map(b64),
        checkpoint: publicCheckpoint(cp),
      };
    },
    async proveConsistency(size1: number, size2?: number): Promise<ConsistencyProof> {
      const to = size2 ?? lastCp?.treeSize ?? 0;
      if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(to) || size1 < 0 || size1 > to || to > tree.size) {
        throw new Error(`Tailles ${size1} et ${to} invalides pour un journal de ${tree.size} entrées.`);
      }
      const leaves = await leafHashes(to);
      const mth = subtreeFrom(leaves);
      return {
        size1,
        size2: to,
        root1: b64(mth(0, size1)),
        root2: b64(mth(0, to)),
        proof: consistencyPath(size1, to, mth).map(b64),
      };
    },
    async close() {
      if (closed) return;
      await idle();
      let err: unknown = null;
      try {
        await checkpoint();
      } catch (e) {
        err = e;
      }
      closed = true;
      clearInterval(timer);
      await cpChain;
      closeSync(fd);
      closeSync(cpFd);
      if (err) throw err;
    },
  };

  if (recovery) {
    await append({
      type: 'journal.recovered',
      action: 'E',
      outcome: 'success',
      detail: {
        bytesCut: recovery.bytesCut,
        partialRecord: recovery.partialRecord,
        checkpointBytesCut: recovery.checkpointBytesCut,
        resumedAtSeq: nextSeq,
      },
    });
  }
  // Seal what the previous run left unsigned (killed before its last checkpoint).
  if (tree.size > (lastCp?.treeSize ?? 0)) await checkpoint();
  return journal;
}
