import { closeSync, mkdirSync, openSync } from 'node:fs';
import type { AuditEventInput } from '../host/audit-port';
import type { Clock } from '../host/clock';
import { originFor, publicCheckpoint, verificationKeys, type Checkpoint } from './checkpoint';
import { createCheckpointer } from './checkpointer';
import { createGroupCommit } from './commit';
import { AuditInputError, MAX_ENTRY_BYTES, formatTime, serializeEntry, validateAuditInput, type JournalEntry } from './entry';
import { checkpointsPath, journalPath } from './files';
import type { BinHash } from './merkle';
import { proveConsistency, proveInclusion, type ConsistencyProof, type InclusionProof } from './proofs';
import { queryJournal, type JournalQuery, type QueryResult } from './query';
import { encodeRecord } from './record';
import { recoverJournal, type RecoveredJournal, type RecoveryReport } from './recovery';
import type { Signer } from './signer';

export type { ConsistencyProof, InclusionProof } from './proofs';
export type { RecoveryReport } from './recovery';

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

/** Stamps and encodes an event as the record of entry `seq` (throws AuditInputError on invalid input). */
function encodeEntry(input: AuditEventInput, seq: number, time: string, workstationId: string): { line: Buffer; leaf: BinHash } {
  const ev = validateAuditInput(input);
  const entry: JournalEntry = { seq, time, type: ev.type, action: ev.action, outcome: ev.outcome, workstationId };
  if (ev.agent) entry.agent = ev.agent;
  if (ev.patient) entry.patient = ev.patient;
  if (ev.entity) entry.entity = ev.entity;
  if (ev.purposeOfUse) entry.purposeOfUse = ev.purposeOfUse;
  if (ev.detail) entry.detail = ev.detail;
  const rec = encodeRecord(serializeEntry(entry));
  if (rec.line.length > MAX_ENTRY_BYTES) throw new AuditInputError(`Événement d’audit trop volumineux (${rec.line.length} octets, maximum ${MAX_ENTRY_BYTES}).`);
  return rec;
}

/** Opens both files; recovery repairs or refuses what it finds, and the files are closed if it throws. */
async function openFiles(dir: string): Promise<{ fd: number; cpFd: number; found: RecoveredJournal }> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const fd = openSync(journalPath(dir), 'a+', 0o600);
  let cpFd: number;
  try {
    cpFd = openSync(checkpointsPath(dir), 'a+', 0o600);
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  try {
    return { fd, cpFd, found: await recoverJournal(dir, fd, cpFd) };
  } catch (err) {
    closeSync(fd);
    closeSync(cpFd);
    throw err;
  }
}

/**
 * Opens (creating if needed) the journal in opts.dir, repairs a tail cut by a
 * crash (recording a journal.recovered entry) and seals entries left unsigned
 * by the previous run with a checkpoint. Durable appends are the group
 * commit's (commit.ts), signatures the checkpointer's, proofs read the file
 * (proofs.ts).
 */
export async function openJournal(opts: JournalOptions): Promise<Journal & { recovery: RecoveryReport | null }> {
  const { dir, signer, clock, workstationId } = opts;
  const verifyKeys = opts.verifierCert ? verificationKeys(opts.verifierCert) : null;
  if (verifyKeys && !verifyKeys.has(signer.keyId)) {
    throw new Error('La clé de signature du journal ne correspond pas au certificat du poste.');
  }
  const { fd, cpFd, found } = await openFiles(dir);
  const { recovery } = found;
  // Entries on disk: grown by the group commit once a batch is durable, read by checkpoints and proofs.
  const state = { tree: found.tree, fileBytes: found.fileBytes };
  let nextSeq = state.tree.size;
  let lastAppend: Promise<unknown> = Promise.resolve();
  let closed = false;

  const signing = createCheckpointer({
    cpFd,
    signer,
    verifyKeys,
    clock,
    origin: originFor(workstationId),
    state,
    checkpoints: found.checkpoints,
    lastCp: found.lastCp,
    everyEntries: opts.checkpointEveryEntries ?? 1000,
    everyMs: opts.checkpointEveryMs ?? 10_000,
    onError: opts.onError ?? ((e: Error) => console.error(`[journal d’audit] ${e.message}`)),
  });
  const commit = createGroupCommit({
    fd,
    maxBatch: opts.maxBatchEntries ?? 100,
    maxInflight: Math.max(1, opts.maxInflightSyncs ?? 4),
    onDurable(batch, bytes) {
      state.fileBytes += bytes;
      for (const p of batch) state.tree.push(p.leaf);
      signing.noteAppended();
    },
  });

  const append = (input: AuditEventInput): Promise<{ seq: number }> => {
    if (closed) return Promise.reject(new Error('Le journal d’audit est fermé.'));
    const broken = commit.broken();
    if (broken) return Promise.reject(broken);
    const seq = nextSeq;
    let rec: { line: Buffer; leaf: BinHash };
    try {
      rec = encodeEntry(input, seq, formatTime(clock.now()), workstationId);
    } catch (err) {
      return Promise.reject(err);
    }
    nextSeq++;
    const p = commit.enqueue({ seq, ...rec });
    lastAppend = p;
    return p;
  };

  // Every append made before the call is durable once its promise settles.
  const idle = (): Promise<unknown> => lastAppend.catch(() => undefined);

  const checkpoint = async (): Promise<Checkpoint | null> => {
    await idle();
    const cp = await signing.checkpoint();
    return cp ? publicCheckpoint(cp) : null;
  };

  const proofSource = { fd, fileBytes: () => state.fileBytes, size: () => state.tree.size, latest: signing.latest };
  const journal: Journal & { recovery: RecoveryReport | null } = {
    dir,
    recovery,
    append,
    checkpoint,
    size: () => state.tree.size,
    latestCheckpoint: () => {
      const cp = signing.latest();
      return cp ? publicCheckpoint(cp) : null;
    },
    query: (filter = {}) => queryJournal(fd, state.fileBytes, filter),
    breakGlassEntries: (filter = {}) => queryJournal(fd, state.fileBytes, { ...filter, breakGlass: true }),
    prove: (seq) => proveInclusion(proofSource, seq),
    proveConsistency: (size1, size2) => proveConsistency(proofSource, size1, size2),
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
      await signing.stop();
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
  if (state.tree.size > (signing.latest()?.treeSize ?? 0)) await checkpoint();
  return journal;
}
