import type { KeyObject } from 'node:crypto';
import type { Clock } from '../host/clock';
import { checkSignature, checkpointHash, checkpointLine, signedBody, type Checkpoint, type StoredCheckpoint } from './checkpoint';
import { syncData, writeAll } from './commit';
import { formatTime } from './entry';
import { foldRoot, toBuf, type CompactTree } from './merkle';
import type { Signer } from './signer';

export interface CheckpointerOptions {
  cpFd: number;
  signer: Signer;
  /** Keys of the workstation certificate: a new checkpoint is checked against them before being written. */
  verifyKeys: Map<string, KeyObject> | null;
  clock: Clock;
  origin: string;
  /** The journal's live state: entries on disk and their byte length. */
  state: { readonly tree: CompactTree; readonly fileBytes: number };
  /** From recovery: checkpoints already in checkpoints.log, and the last one. */
  checkpoints: number;
  lastCp: StoredCheckpoint | null;
  everyEntries: number;
  everyMs: number;
  onError: (err: Error) => void;
}

export interface Checkpointer {
  latest(): StoredCheckpoint | null;
  /** A batch became durable: sign in the background once everyEntries are uncovered. */
  noteAppended(): void;
  /** Signs over every durable entry, after any signature in progress; the latest if nothing is new. */
  checkpoint(): Promise<StoredCheckpoint | null>;
  /** Stops the timer and waits for the signature in progress. */
  stop(): Promise<void>;
}

const b64 = (h: string): string => toBuf(h).toString('base64');

/**
 * Checkpoint signing: one signature at a time (a chain of promises), in the
 * background every N entries or T ms, or on demand (lock, quit). Background
 * failures go to onError and are thrown again by the next on-demand call.
 */
export function createCheckpointer(opts: CheckpointerOptions): Checkpointer {
  const { cpFd, signer, verifyKeys, clock, origin, state } = opts;
  let { checkpoints, lastCp } = opts;
  let chain: Promise<unknown> = Promise.resolve();
  let pending = false;
  let stopped = false;

  const sign = async (): Promise<StoredCheckpoint | null> => {
    const size = state.tree.size;
    if (size === 0 || (lastCp && lastCp.treeSize >= size)) return lastCp;
    const compact = state.tree.hashes.slice();
    const journalBytes = state.fileBytes;
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
  };

  // Background checkpoints (every N entries / T ms): one at a time, failures reported.
  const schedule = (): void => {
    if (pending || stopped) return;
    pending = true;
    chain = chain
      .then(() => sign())
      .catch((err: unknown) => opts.onError(err instanceof Error ? err : new Error(String(err))))
      .finally(() => {
        pending = false;
      });
  };
  const uncovered = (): number => state.tree.size - (lastCp?.treeSize ?? 0);

  const timer = setInterval(() => {
    if (uncovered() > 0) schedule();
  }, opts.everyMs);
  timer.unref();

  return {
    latest: () => lastCp,
    noteAppended() {
      if (uncovered() >= opts.everyEntries) schedule();
    },
    checkpoint() {
      const run = chain.then(() => sign());
      chain = run.catch(() => undefined);
      return run;
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await chain;
    },
  };
}
