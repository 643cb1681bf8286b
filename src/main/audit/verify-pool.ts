import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../host/worker';
import type { ChunkResult } from './verify-chunk';

const workerFile = path.join(__dirname, __filename.endsWith('.ts') ? 'verify-worker.ts' : 'verify-worker.js');

/** Verify workers hashing chunks round-robin; started early so their startup overlaps the checkpoint checks. */
export interface VerifyPool {
  readonly size: number;
  /** The checkpoint sizes, sent once before the first chunk. */
  setSizes(sizes: number[]): void;
  /** Transfers buf to a worker; rejects if any worker failed. */
  hash(buf: Buffer, length: number): Promise<ChunkResult>;
  terminate(): Promise<void>;
}

export function startVerifyPool(count: number): VerifyPool {
  const pool: Worker[] = [];
  const waiting = new Map<number, (r: ChunkResult) => void>();
  let failPool: (err: Error) => void = () => {};
  const poolFailed = new Promise<never>((_, reject) => {
    failPool = reject;
  });
  poolFailed.catch(() => {});
  for (let i = 0; i < count; i++) {
    const w = startWorker(workerFile);
    w.on('message', (m: { id: number; result: ChunkResult }) => {
      const cb = waiting.get(m.id);
      waiting.delete(m.id);
      cb?.(m.result);
    });
    w.on('error', (err) => failPool(new Error(`Échec d’un processus de vérification : ${err.message}`)));
    pool.push(w);
  }
  let id = 0;
  return {
    size: count,
    setSizes(sizes) {
      for (const w of pool) w.postMessage({ sizes });
    },
    hash(buf, length) {
      const myId = id++;
      const w = pool[myId % count] as Worker;
      const done = new Promise<ChunkResult>((resolve) => {
        waiting.set(myId, resolve);
        w.postMessage({ id: myId, buf: buf.buffer, length }, [buf.buffer as ArrayBuffer]);
      });
      return Promise.race([done, poolFailed]);
    },
    async terminate() {
      await Promise.all(pool.map((w) => w.terminate()));
    },
  };
}
