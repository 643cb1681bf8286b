import type { DmpRequestContext } from './types';
import type { VihfConfig } from './vihf';

/** Messages between the DMP gateway and its signing worker (dmp-signer-worker). */
export interface DmpSignerWorkerData {
  vihf: VihfConfig;
  xades: { certPem: string; keyPem: string };
}

export type DmpSignerRequest =
  | { id: number; op: 'vihf'; ctx: DmpRequestContext; now: number }
  | { id: number; op: 'xades'; submissionSetUniqueId: string; documents: { uniqueId: string; content: Uint8Array }[]; signingTime: number };

export type DmpSignerResponse = { id: number; ok: true; xml: string } | { id: number; ok: false; error: string };
