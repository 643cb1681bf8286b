import type { DmpRequestContext } from './types';
import type { VihfConfig } from './vihf';

/** Messages between the DMP gateway and its signing worker (dmp-signer-worker), over host/worker-rpc. */
export interface DmpSignerWorkerData {
  vihf: VihfConfig;
  xades: { certPem: string; keyPem: string };
}

export type DmpSignerRequest =
  | { op: 'vihf'; ctx: DmpRequestContext; now: number }
  | { op: 'xades'; submissionSetUniqueId: string; documents: { uniqueId: string; content: Uint8Array }[]; signingTime: number };

/** Both operations answer signed XML. */
export interface DmpSignerResults {
  vihf: string;
  xades: string;
}
