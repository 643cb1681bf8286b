/** Messages between the main thread and signer-worker.ts. */
export type SignerEngine = 'forge' | 'openssl';

export type SignerRequest =
  | { id: number; op: 'init-pem'; privateKeyPem: string; certificatePem: string; engine: SignerEngine }
  | { id: number; op: 'init-pkcs12'; p12: Uint8Array; passphrase: string; engine: SignerEngine }
  | { id: number; op: 'sign'; data: Uint8Array };

export type SignerResponse =
  | { id: number; ok: true; init?: { keyId: string; certificatePem: string }; signature?: Uint8Array }
  | { id: number; ok: false; error: string };
