import path from 'node:path';
import { createWorkerRpc, type WorkerRpc } from '../host/worker-rpc';
import type { ChunkResult } from './verify-chunk';

const workerFile = path.join(__dirname, __filename.endsWith('.ts') ? 'verify-worker.ts' : 'verify-worker.js');

export type VerifyRequest = { op: 'sizes'; sizes: number[] } | { op: 'chunk'; buf: ArrayBuffer; length: number };
interface VerifyResults {
  sizes: null;
  chunk: ChunkResult;
}

/** Verify workers hashing chunks round-robin; started early so their startup overlaps the checkpoint checks. */
export interface VerifyPool {
  /** The checkpoint sizes, sent once before the first chunk. */
  setSizes(sizes: number[]): void;
  /** Transfers buf to a worker; rejects if that worker failed. */
  hash(buf: Buffer, length: number): Promise<ChunkResult>;
  terminate(): Promise<void>;
}

export function startVerifyPool(count: number): VerifyPool {
  const fail = (message: string) => new Error(`Échec d’un processus de vérification : ${message}`);
  const pool: WorkerRpc<VerifyRequest, VerifyResults>[] = Array.from({ length: count }, () =>
    createWorkerRpc<VerifyRequest, VerifyResults>({
      file: workerFile,
      restartAfterCrash: false,
      errors: {
        remote: (e) => fail(e.message),
        crashed: (r) => fail('message' in r ? r.message : `arrêt (code ${r.exitCode})`),
        closed: () => fail('vérification interrompue'),
      },
    }),
  );
  // A failed worker also fails the chunks sent to it: that is where the error surfaces.
  const sendSizes = (sizes: number[]): void => {
    for (const rpc of pool) rpc.call({ op: 'sizes', sizes }).catch(() => undefined);
  };
  // Start the threads now: their startup overlaps reading the checkpoints.
  sendSizes([]);
  let next = 0;
  return {
    // One worker handles its requests in order: the sizes precede every chunk.
    setSizes: sendSizes,
    hash(buf, length) {
      const rpc = pool[next++ % count] as WorkerRpc<VerifyRequest, VerifyResults>;
      return rpc.call({ op: 'chunk', buf: buf.buffer as ArrayBuffer, length }, [buf.buffer as ArrayBuffer]);
    },
    async terminate() {
      await Promise.all(pool.map((rpc) => rpc.close()));
    },
  };
}
