import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { DmpError } from '../dmp/errors';
import type { DmpRequestContext } from '../dmp/types';
import { buildVihfAssertion, type VihfConfig } from '../dmp/vihf';
import { startWorker } from '../host/worker';

let workerPath = path.join(__dirname, __filename.endsWith('.ts') ? 'vihf-sign-worker.ts' : 'vihf-sign-worker.js');

/** The Electron build bundles the worker as its own entry: tell the signer where it landed. */
export function setVihfWorkerPath(p: string): void {
  workerPath = p;
}

export interface VihfSigner {
  sign(ctx: DmpRequestContext): Promise<string>;
  close(): Promise<void>;
}

/**
 * Builds the VIHF assertion in-thread (cheap) and signs it in a worker thread
 * (RSA). One long-lived worker, unref'd while idle so it never keeps a process alive.
 */
export function createVihfSigner(config: VihfConfig, clock: () => Date): VihfSigner {
  let worker: Worker | null = null;
  let nextId = 1;
  const pending = new Map<number, { resolve: (xml: string) => void; reject: (e: Error) => void }>();

  const failAll = (err: Error): void => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  function getWorker(): Worker {
    if (worker) return worker;
    const w = startWorker(workerPath, { workerData: { keyPem: config.keyPem, certPem: config.certPem } });
    w.on('message', (msg: { id: number; ok: boolean; xml?: string; message?: string }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (pending.size === 0) w.unref();
      if (msg.ok) p.resolve(msg.xml!);
      else p.reject(new DmpError('DMP_CONFIG_INVALID', `Signature du jeton VIHF impossible : ${msg.message ?? 'erreur inconnue'}. Vérifiez le certificat d'établissement.`));
    });
    w.on('error', (err) => {
      if (worker === w) worker = null;
      failAll(new DmpError('DMP_CONFIG_INVALID', `Le module de signature du jeton VIHF s'est arrêté : ${err.message}`));
    });
    w.on('exit', (code) => {
      if (worker === w) worker = null;
      if (pending.size) failAll(new DmpError('DMP_CONFIG_INVALID', `Le module de signature du jeton VIHF s'est arrêté (code ${code}).`));
    });
    worker = w;
    return w;
  }

  return {
    sign(ctx) {
      const assertionXml = buildVihfAssertion(ctx, config, clock());
      const w = getWorker();
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        w.ref();
        w.postMessage({ id, assertionXml });
      });
    },
    async close() {
      const w = worker;
      worker = null;
      if (w) await w.terminate();
    },
  };
}
