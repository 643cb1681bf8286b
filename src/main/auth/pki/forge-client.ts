import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../../host/worker';
import { AuthError, type AuthErrorCode } from '../errors';
import type { ForgeRequest, ForgeResults } from './forge-protocol';

/**
 * One long-lived forge worker, started on first use. It is unref'd while idle
 * so it never keeps a CLI or test process alive.
 */

let workerPath = path.join(__dirname, __filename.endsWith('.ts') ? 'forge-worker.ts' : 'forge-worker.js');
let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

/** The Electron build bundles the worker as its own entry: tell the client where it landed. */
export function setForgeWorkerPath(p: string): void {
  workerPath = p;
}

function failAll(err: Error): void {
  for (const p of pending.values()) p.reject(err);
  pending.clear();
}

function getWorker(): Worker {
  if (worker) return worker;
  const w = startWorker(workerPath);
  w.on('message', (msg: { id: number; ok: boolean; value?: unknown; error?: { code: AuthErrorCode; message: string } }) => {
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (pending.size === 0) w.unref();
    if (msg.ok) p.resolve(msg.value);
    else p.reject(new AuthError(msg.error!.code, msg.error!.message));
  });
  w.on('error', (err) => {
    worker = null;
    failAll(new AuthError('worker_failed', `Le traitement des certificats a échoué : ${err.message}`));
  });
  w.on('exit', (code) => {
    if (worker === w) worker = null;
    if (pending.size) failAll(new AuthError('worker_failed', `Le traitement des certificats s'est arrêté (code ${code}).`));
  });
  worker = w;
  return w;
}

export function runForgeTask<K extends ForgeRequest['op']>(request: Extract<ForgeRequest, { op: K }>): Promise<ForgeResults[K]> {
  const w = getWorker();
  const id = nextId++;
  return new Promise<ForgeResults[K]>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    w.ref();
    w.postMessage({ id, request });
  });
}

/** Stops the worker (app shutdown, end of a test file). */
export async function stopForgeWorker(): Promise<void> {
  const w = worker;
  worker = null;
  if (w) await w.terminate();
}
