import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startWorker } from '../host/worker';
import type { SignerEngine, SignerRequest, SignerResponse } from './signer-protocol';

/** What the journal needs to sign checkpoints. */
export interface Signer {
  /** Hex SHA-256 of the signing key's SubjectPublicKeyInfo (DER). */
  keyId: string;
  /** RSA PKCS#1 v1.5 SHA-256 signature of data. */
  sign(data: Buffer): Promise<Buffer>;
}

/** A signer backed by a worker thread; close() stops the thread. */
export interface WorkerSigner extends Signer {
  certificatePem: string;
  close(): Promise<void>;
}

export interface SignerOptions {
  /**
   * 'forge' (default): node-forge RSA, as the project's crypto stack requires.
   * 'openssl': Node's crypto in the same worker, ~100× cheaper; for tools that
   * sign many checkpoints (benchmark journal builder).
   */
  engine?: SignerEngine;
}

const workerFile = path.join(__dirname, __filename.endsWith('.ts') ? 'signer-worker.ts' : 'signer-worker.js');

async function startSigner(init: (id: number) => SignerRequest): Promise<WorkerSigner> {
  const worker: Worker = startWorker(workerFile);
  worker.unref();
  let nextId = 1;
  const waiting = new Map<number, { resolve: (r: SignerResponse) => void; reject: (e: Error) => void }>();
  let dead: Error | null = null;
  const failAll = (err: Error) => {
    dead = err;
    for (const w of waiting.values()) w.reject(err);
    waiting.clear();
  };
  worker.on('message', (res: SignerResponse) => {
    const w = waiting.get(res.id);
    if (!w) return;
    waiting.delete(res.id);
    w.resolve(res);
  });
  worker.on('error', (err) => failAll(new Error(`Le signataire du journal s’est arrêté : ${err.message}`)));
  worker.on('exit', () => failAll(new Error('Le signataire du journal est arrêté.')));

  const call = (make: (id: number) => SignerRequest, transfer: ArrayBuffer[] = []): Promise<SignerResponse> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<SignerResponse>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      if (waiting.size === 1) worker.ref();
      worker.postMessage(make(id), transfer);
    }).finally(() => {
      if (waiting.size === 0) worker.unref();
    });
  };

  const first = await call(init);
  if (!first.ok || !first.init) {
    await worker.terminate();
    throw new Error(first.ok ? 'Réponse inattendue du signataire.' : first.error);
  }
  const { keyId, certificatePem } = first.init;
  return {
    keyId,
    certificatePem,
    async sign(data: Buffer): Promise<Buffer> {
      const res = await call((id) => ({ id, op: 'sign', data: new Uint8Array(data) }));
      if (!res.ok || !res.signature) throw new Error(res.ok ? 'Réponse inattendue du signataire.' : res.error);
      return Buffer.from(res.signature);
    },
    async close() {
      dead = dead ?? new Error('Le signataire du journal est fermé.');
      await worker.terminate();
    },
  };
}

/** Signer from the workstation's private key and certificate, both PEM. */
export function createPemSigner(opts: { privateKeyPem: string; certificatePem: string } & SignerOptions): Promise<WorkerSigner> {
  return startSigner((id) => ({ id, op: 'init-pem', privateKeyPem: opts.privateKeyPem, certificatePem: opts.certificatePem, engine: opts.engine ?? 'forge' }));
}

/** Signer from the workstation's PKCS#12: the file is opened in the worker, the key stays there. */
export function createPkcs12Signer(opts: { p12: Uint8Array; passphrase: string } & SignerOptions): Promise<WorkerSigner> {
  return startSigner((id) => ({ id, op: 'init-pkcs12', p12: new Uint8Array(opts.p12), passphrase: opts.passphrase, engine: opts.engine ?? 'forge' }));
}
