import type { AuditPort } from '../host/audit-port';
import type { Logger } from '../host/logger';
import type { HospitalConnection } from '../sync/config';
import { verificationKeys } from './checkpoint';
import { readCheckpointFile } from './files';
import type { Journal } from './journal';
import { checkAgainstWitness, createJournalWitness, type JournalWitness, type WitnessPort, type WitnessVerdict } from './witness';
import { createFhirWitnessPort } from './witness-fhir';

export interface HostWitness {
  /** The start check: the local journal against the last checkpoint the hospital witnessed. */
  readonly verdict: Promise<WitnessVerdict>;
  readonly witness: JournalWitness;
  /** Sends the final checkpoint (best effort) and stops. */
  close(): Promise<void>;
}

/**
 * At host start: checks the journal against the hospital's witness in the background (a slow or
 * absent server never delays the start), reports a tampered journal (error log and a journal entry
 * `journal.witness` with outcome failure), then keeps the hospital witnessing new checkpoints.
 */
export function startHostWitness(opts: { journal: Journal; origin: string; connection: HospitalConnection; certificatePem: string; audit: AuditPort; logger: Logger; port?: WitnessPort; everyMs?: number }): HostWitness {
  const port = opts.port ?? createFhirWitnessPort(opts.connection);
  const keys = verificationKeys(opts.certificatePem);
  const local = readCheckpointFile(opts.journal.dir).checkpoints;
  const origin = opts.origin;
  const witness = createJournalWitness({
    journal: opts.journal,
    port,
    ...(opts.everyMs !== undefined ? { everyMs: opts.everyMs } : {}),
    onError: (message) => opts.logger.warn(message),
  });
  const verdict = (async (): Promise<WitnessVerdict> => {
    const v = await checkAgainstWitness(port, origin, local, keys);
    if (v.status === 'tampered') {
      opts.logger.error(v.reason);
      await opts.audit.record({
        type: 'journal.witness',
        action: 'E',
        outcome: 'failure',
        detail: { witnessedIndex: v.witnessed.index, witnessedTreeSize: v.witnessed.treeSize, localCheckpoints: local.length },
      });
    } else if (v.status === 'unverified') {
      opts.logger.warn(v.reason);
    } else {
      // Only a journal the witness vouches for is extended under its eye.
      void witness.flush();
    }
    return v;
  })().catch((e: Error): WitnessVerdict => ({ status: 'unverified', reason: `Vérification par le témoin impossible : ${e.message}` }));
  return {
    verdict,
    witness,
    async close() {
      const v = await verdict;
      if (v.status !== 'tampered') await witness.flush();
      await witness.stop();
    },
  };
}
