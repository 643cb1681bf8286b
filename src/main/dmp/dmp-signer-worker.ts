import { workerData } from 'node:worker_threads';
import { serveWorkerRpc } from '../host/worker-serve';
import type { DmpSignerRequest, DmpSignerWorkerData } from './signer-protocol';
import { createSignedVihf } from './vihf';
import { signSubmissionSet } from './xades';

/**
 * Worker thread signing the DMP's XML: VIHF assertions (every request whose token is not cached)
 * and XAdES submission-set signatures. RSA signing and c14n cost milliseconds each and must not
 * stall the thread serving the renderer. The keys stay in this thread after start-up.
 */
const data = workerData as DmpSignerWorkerData;

serveWorkerRpc<DmpSignerRequest, string>(
  (req) => {
    switch (req.op) {
      case 'vihf':
        return createSignedVihf(req.ctx, data.vihf, new Date(req.now));
      case 'xades':
        return signSubmissionSet({
          submissionSetUniqueId: req.submissionSetUniqueId,
          documents: req.documents.map((d) => ({ uniqueId: d.uniqueId, content: Buffer.from(d.content) })),
          signingTime: new Date(req.signingTime),
          certPem: data.xades.certPem,
          keyPem: data.xades.keyPem,
        });
    }
  },
  // Never the key nor the payload in the message: only what went wrong.
  (e) => ({ message: `Signature DMP impossible : ${e instanceof Error ? e.message : 'erreur inconnue'}` }),
);
