import { fdatasync, write } from 'node:fs';
import type { BinHash } from './merkle';

/** Writes the whole buffer at the file's end (O_APPEND), looping on partial writes. */
export function writeAll(fd: number, buf: Buffer): Promise<void> {
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

export const syncData = (fd: number): Promise<void> =>
  new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

/** One encoded entry waiting for its batch. */
export interface CommitItem {
  seq: number;
  line: Buffer;
  leaf: BinHash;
}

interface Pending extends CommitItem {
  resolve: (v: { seq: number }) => void;
  reject: (e: Error) => void;
}

export interface GroupCommitOptions {
  fd: number;
  /** Most entries per write+fdatasync. */
  maxBatch: number;
  /** Batches whose fdatasync may overlap. */
  maxInflight: number;
  /** A batch is on disk (called in order, before its appends resolve). */
  onDurable: (batch: readonly CommitItem[], bytes: number) => void;
  /** File operations (tests observe them); default: writeAll and fdatasync. */
  io?: { write(fd: number, data: Buffer): Promise<void>; sync(fd: number): Promise<void> };
}

export interface GroupCommit {
  /** Resolves once the entry's bytes are fdatasync'd. */
  enqueue(item: CommitItem): Promise<{ seq: number }>;
  /** The error that stopped the journal after a failed write or sync, if any. */
  broken(): Error | null;
}

/**
 * Group commit, pipelined: a batch (≤ maxBatch entries, whatever queued since
 * the previous batch was cut — never more than one sync's wait) is written,
 * then fdatasync'd; up to maxInflight batches are in flight, because one
 * fdatasync on a busy disk takes milliseconds while several overlap almost
 * for free. Writes happen in order and batches are acknowledged in order, so
 * an acknowledged entry never follows a lost one.
 */
export function createGroupCommit(opts: GroupCommitOptions): GroupCommit {
  const { fd, maxBatch, maxInflight, onDurable } = opts;
  const io = opts.io ?? { write: writeAll, sync: syncData };
  let queue: Pending[] = [];
  let scheduled = false;
  let broken: Error | null = null;
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
      const written = writeChain.then(() => (broken ? Promise.reject(broken) : io.write(fd, data)));
      writeChain = written.catch(() => undefined);
      const synced = written.then(() => io.sync(fd));
      commitChain = commitChain.then(() =>
        synced.then(
          () => {
            inflight--;
            if (broken) {
              for (const p of batch) p.reject(broken);
              return;
            }
            onDurable(batch, data.length);
            for (const p of batch) p.resolve({ seq: p.seq });
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

  return {
    broken: () => broken,
    enqueue(item) {
      if (broken) return Promise.reject(broken);
      const p = new Promise<{ seq: number }>((resolve, reject) => {
        queue.push({ ...item, resolve, reject });
      });
      if (!scheduled && inflight < maxInflight) {
        scheduled = true;
        // Entries appended in the same tick join the batch.
        setImmediate(flush);
      }
      return p;
    },
  };
}
