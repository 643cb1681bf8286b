import path from 'node:path';
import type { ResourceLimits } from 'node:worker_threads';
import type { DmpIdentity } from '../../shared/bridge/methods-dmp';
import { createWorkerRpc, type WorkerRpc } from '../host/worker-rpc';
import type { CdaRequest, CdaResults } from './cda-protocol';
import { DmpError } from './errors';

/**
 * The Electron build emits the worker as its own entry `cda-worker` beside the main bundle;
 * under tsx/vitest the .ts file runs through startWorker.
 */
const CDA_WORKER_FILE = path.join(__dirname, __filename.endsWith('.ts') ? 'cda-worker.ts' : 'cda-worker.js');

/**
 * 512 MB of heap: a 300,000-element CDA (the structural cap) fits, with room; the review's 9.5 MiB
 * CDA took 1.9 GB in main. Past it the worker dies alone and the document is refused.
 */
export const CDA_WORKER_LIMITS: ResourceLimits = { maxOldGenerationSizeMb: 512, maxYoungGenerationSizeMb: 64, stackSizeMb: 8 };

export interface CdaParser {
  /** Identity vigilance before integration (see handlers/identity-check.ts), parsed in the worker. */
  patientMismatch(xml: string, ins: string, identity: DmpIdentity): Promise<string | null>;
  close(): Promise<void>;
}

export function createCdaParser(opts: { resourceLimits?: ResourceLimits; workerFile?: string } = {}): CdaParser {
  // Stateless: a worker killed by a hostile document is replaced on the next call.
  const rpc: WorkerRpc<CdaRequest, CdaResults> = createWorkerRpc<CdaRequest, CdaResults>({
    file: opts.workerFile ?? CDA_WORKER_FILE,
    restartAfterCrash: true,
    resourceLimits: opts.resourceLimits ?? CDA_WORKER_LIMITS,
    errors: {
      remote: (e) => new DmpError('DMP_CDA_INVALID', e.message),
      crashed: (r) =>
        'code' in r && r.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new DmpError('DMP_CDA_INVALID', 'Le document CDA est trop lourd pour être analysé (limite de mémoire atteinte) : il n’est pas intégré.')
          : new DmpError('DMP_CDA_INVALID', 'L’analyse du document CDA s’est arrêtée : il n’est pas intégré.'),
      closed: () => new DmpError('DMP_CDA_INVALID', 'L’analyseur de documents CDA est fermé.'),
    },
  });
  return {
    patientMismatch: (xml, ins, identity) => rpc.call({ op: 'identity', xml, ins, identity: { ...identity } }),
    close: () => rpc.close(),
  };
}
