/** Messages between the main thread and signer-worker.ts (over host/worker-rpc). */
export type SignerEngine = 'forge' | 'openssl';

export type SignerRequest =
  | { op: 'init-pem'; privateKeyPem: string; certificatePem: string; engine: SignerEngine }
  | { op: 'init-pkcs12'; p12: Uint8Array; passphrase: string; engine: SignerEngine }
  | { op: 'sign'; data: Uint8Array };

export interface SignerInit {
  keyId: string;
  certificatePem: string;
}

export interface SignerResults {
  'init-pem': SignerInit;
  'init-pkcs12': SignerInit;
  sign: Uint8Array;
}
