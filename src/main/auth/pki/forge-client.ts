import path from 'node:path';
import { createWorkerRpc, type WorkerRpc } from '../../host/worker-rpc';
import { AuthError, type AuthErrorCode } from '../errors';
import type { ForgeRequest, ForgeResults } from './forge-protocol';

/**
 * One long-lived forge worker, started on first use (and again after a crash:
 * the tasks are stateless). It is unref'd while idle so it never keeps a CLI
 * or test process alive.
 */

let workerPath = path.join(__dirname, __filename.endsWith('.ts') ? 'forge-worker.ts' : 'forge-worker.js');
let rpc: WorkerRpc<ForgeRequest, ForgeResults> | null = null;

/** The Electron build bundles the worker as its own entry: tell the client where it landed. */
export function setForgeWorkerPath(p: string): void {
  workerPath = p;
}

function client(): WorkerRpc<ForgeRequest, ForgeResults> {
  rpc ??= createWorkerRpc<ForgeRequest, ForgeResults>({
    file: workerPath,
    restartAfterCrash: true,
    errors: {
      // The worker sends AuthError codes (worker_failed for anything else).
      remote: (e) => new AuthError((e.code ?? 'worker_failed') as AuthErrorCode, e.message),
      crashed: (r) =>
        new AuthError('worker_failed', 'message' in r ? `Le traitement des certificats a échoué : ${r.message}` : `Le traitement des certificats s'est arrêté (code ${r.exitCode}).`),
      closed: () => new AuthError('worker_failed', 'Le traitement des certificats est arrêté.'),
    },
  });
  return rpc;
}

export function runForgeTask<K extends ForgeRequest['op']>(request: Extract<ForgeRequest, { op: K }>): Promise<ForgeResults[K]> {
  return client().call<K>(request);
}

/** Stops the worker (app shutdown, end of a test file); a later task starts a new one. */
export async function stopForgeWorker(): Promise<void> {
  const r = rpc;
  rpc = null;
  await r?.close();
}
