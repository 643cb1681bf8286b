import type { DmpIdentity } from '../../shared/bridge/methods-dmp';

/** Requests to the CDA worker (cda-worker.ts): every CDA main receives is parsed there, never in main. */
export type CdaRequest = { op: 'identity'; xml: string; ins: string; identity: DmpIdentity };

export interface CdaResults {
  /** Why the document does not belong to this patient (French), or null. */
  identity: string | null;
}
