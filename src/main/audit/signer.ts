import path from 'node:path';
import { createWorkerRpc } from '../host/worker-rpc';
import type { SignerEngine, SignerInit, SignerRequest, SignerResults } from './signer-protocol';

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

async function startSigner(init: Extract<SignerRequest, { op: 'init-pem' | 'init-pkcs12' }>): Promise<WorkerSigner> {
  // The key lives in the worker once initialised: after a crash the signer stays failed rather than restart keyless.
  const rpc = createWorkerRpc<SignerRequest, SignerResults>({
    file: workerFile,
    restartAfterCrash: false,
    errors: {
      remote: (e) => new Error(e.message),
      crashed: (r) => new Error('message' in r ? `Le signataire du journal s’est arrêté : ${r.message}` : 'Le signataire du journal est arrêté.'),
      closed: () => new Error('Le signataire du journal est fermé.'),
    },
  });
  let first: SignerInit;
  try {
    first = await rpc.call(init);
  } catch (err) {
    await rpc.close();
    throw err;
  }
  const { keyId, certificatePem } = first;
  return {
    keyId,
    certificatePem,
    async sign(data: Buffer): Promise<Buffer> {
      return Buffer.from(await rpc.call({ op: 'sign', data: new Uint8Array(data) }));
    },
    close: () => rpc.close(),
  };
}

/** Signer from the workstation's private key and certificate, both PEM. */
export function createPemSigner(opts: { privateKeyPem: string; certificatePem: string } & SignerOptions): Promise<WorkerSigner> {
  return startSigner({ op: 'init-pem', privateKeyPem: opts.privateKeyPem, certificatePem: opts.certificatePem, engine: opts.engine ?? 'forge' });
}

/** Signer from the workstation's PKCS#12: the file is opened in the worker, the key stays there. */
export function createPkcs12Signer(opts: { p12: Uint8Array; passphrase: string } & SignerOptions): Promise<WorkerSigner> {
  return startSigner({ op: 'init-pkcs12', p12: new Uint8Array(opts.p12), passphrase: opts.passphrase, engine: opts.engine ?? 'forge' });
}
