import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../host/worker';
import { DmpError } from './errors';
import type { DmpSignerRequest, DmpSignerResponse, DmpSignerWorkerData } from './signer-protocol';
import type { DmpRequestContext } from './types';
import type { VihfConfig } from './vihf';
import type { SubmissionSignatureInput } from './xades';

/** Signs VIHF tokens and submission sets off the main thread. */
export interface DmpSigner {
  signVihf(ctx: DmpRequestContext, now?: Date): Promise<string>;
  signSubmission(input: Omit<SubmissionSignatureInput, 'certPem' | 'keyPem'>): Promise<string>;
  close(): Promise<void>;
}

/**
 * The worker module. The Electron build must emit it as its own entry named `dmp-signer-worker`
 * (next to the main bundle); under tsx/vitest the .ts file runs through startWorker.
 */
export const DMP_SIGNER_WORKER_FILE = path.join(__dirname, __filename.endsWith('.ts') ? 'dmp-signer-worker.ts' : 'dmp-signer-worker.js');

export function createWorkerSigner(cfg: { vihf: VihfConfig; xades?: { certPem: string; keyPem: string } }, workerFile = DMP_SIGNER_WORKER_FILE): DmpSigner {
  const data: DmpSignerWorkerData = { vihf: cfg.vihf, xades: cfg.xades ?? { certPem: cfg.vihf.certPem, keyPem: cfg.vihf.keyPem } };
  let worker: Worker | undefined;
  let nextId = 1;
  const waiting = new Map<number, { resolve: (xml: string) => void; reject: (e: Error) => void }>();
  let closed = false;

  const failAll = (err: Error): void => {
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
    worker = undefined;
  };

  // Started on first use and restarted after a crash: an idle gateway costs no thread.
  const ensure = (): Worker => {
    if (worker) return worker;
    const w = startWorker(workerFile, { workerData: data });
    w.unref();
    w.on('message', (res: DmpSignerResponse) => {
      const p = waiting.get(res.id);
      if (!p) return;
      waiting.delete(res.id);
      if (waiting.size === 0) w.unref();
      if (res.ok) p.resolve(res.xml);
      else p.reject(new DmpError('DMP_CONFIG_INVALID', res.error));
    });
    w.on('error', (e) => failAll(new DmpError('DMP_CONFIG_INVALID', `Le signataire DMP s'est arrêté : ${e.message}`)));
    w.on('exit', () => failAll(new DmpError('DMP_CONFIG_INVALID', 'Le signataire DMP est arrêté.')));
    worker = w;
    return w;
  };

  const call = (make: (id: number) => DmpSignerRequest, transfer: ArrayBuffer[] = []): Promise<string> => {
    if (closed) return Promise.reject(new DmpError('DMP_CONFIG_INVALID', 'Le signataire DMP est fermé.'));
    const w = ensure();
    const id = nextId++;
    return new Promise<string>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      w.ref();
      w.postMessage(make(id), transfer);
    });
  };

  return {
    signVihf(ctx, now = new Date()) {
      const plain: DmpRequestContext = { user: { ...ctx.user }, ins: ctx.ins, accessMode: ctx.accessMode };
      return call((id) => ({ id, op: 'vihf', ctx: plain, now: now.getTime() }));
    },
    signSubmission(input) {
      const documents = input.documents.map((d) => ({ uniqueId: d.uniqueId, content: new Uint8Array(d.content) }));
      return call(
        (id) => ({ id, op: 'xades', submissionSetUniqueId: input.submissionSetUniqueId, documents, signingTime: (input.signingTime ?? new Date()).getTime() }),
        documents.map((d) => d.content.buffer as ArrayBuffer),
      );
    },
    async close() {
      closed = true;
      const w = worker;
      worker = undefined;
      failAll(new DmpError('DMP_CONFIG_INVALID', 'Le signataire DMP est fermé.'));
      if (w) await w.terminate();
    },
  };
}
