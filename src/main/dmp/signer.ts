import path from 'node:path';
import { createWorkerRpc } from '../host/worker-rpc';
import { DmpError } from './errors';
import type { DmpSignerRequest, DmpSignerResults, DmpSignerWorkerData } from './signer-protocol';
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
const DMP_SIGNER_WORKER_FILE = path.join(__dirname, __filename.endsWith('.ts') ? 'dmp-signer-worker.ts' : 'dmp-signer-worker.js');

export function createWorkerSigner(cfg: { vihf: VihfConfig; xades?: { certPem: string; keyPem: string } }, workerFile = DMP_SIGNER_WORKER_FILE): DmpSigner {
  const data: DmpSignerWorkerData = { vihf: cfg.vihf, xades: cfg.xades ?? { certPem: cfg.vihf.certPem, keyPem: cfg.vihf.keyPem } };
  // Started on first use and restarted after a crash (the keys come as workerData): an idle gateway costs no thread.
  const rpc = createWorkerRpc<DmpSignerRequest, DmpSignerResults>({
    file: workerFile,
    workerData: data,
    restartAfterCrash: true,
    errors: {
      remote: (e) => new DmpError('DMP_CONFIG_INVALID', e.message),
      crashed: (r) => new DmpError('DMP_CONFIG_INVALID', 'message' in r ? `Le signataire DMP s'est arrêté : ${r.message}` : 'Le signataire DMP est arrêté.'),
      closed: () => new DmpError('DMP_CONFIG_INVALID', 'Le signataire DMP est fermé.'),
    },
  });

  return {
    signVihf(ctx, now = new Date()) {
      const plain: DmpRequestContext = { user: { ...ctx.user }, ins: ctx.ins, accessMode: ctx.accessMode };
      return rpc.call({ op: 'vihf', ctx: plain, now: now.getTime() });
    },
    signSubmission(input) {
      const documents = input.documents.map((d) => ({ uniqueId: d.uniqueId, content: new Uint8Array(d.content) }));
      return rpc.call(
        { op: 'xades', submissionSetUniqueId: input.submissionSetUniqueId, documents, signingTime: (input.signingTime ?? new Date()).getTime() },
        documents.map((d) => d.content.buffer as ArrayBuffer),
      );
    },
    close: () => rpc.close(),
  };
}
