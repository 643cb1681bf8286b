import { parentPort, workerData } from 'node:worker_threads';
import type { DmpSignerRequest, DmpSignerResponse, DmpSignerWorkerData } from './signer-protocol';
import { createSignedVihf } from './vihf';
import { signSubmissionSet } from './xades';

/**
 * Worker thread signing the DMP's XML: VIHF assertions (every request whose token is not cached)
 * and XAdES submission-set signatures. RSA signing and c14n cost milliseconds each and must not
 * stall the thread serving the renderer. The keys stay in this thread after start-up.
 */
const data = workerData as DmpSignerWorkerData;
const port = parentPort;
if (!port) throw new Error('dmp-signer-worker doit être démarré comme worker.');

port.on('message', (req: DmpSignerRequest) => {
  let res: DmpSignerResponse;
  try {
    if (req.op === 'vihf') {
      res = { id: req.id, ok: true, xml: createSignedVihf(req.ctx, data.vihf, new Date(req.now)) };
    } else if (req.op === 'xades') {
      const xml = signSubmissionSet({
        submissionSetUniqueId: req.submissionSetUniqueId,
        documents: req.documents.map((d) => ({ uniqueId: d.uniqueId, content: Buffer.from(d.content) })),
        signingTime: new Date(req.signingTime),
        certPem: data.xades.certPem,
        keyPem: data.xades.keyPem,
      });
      res = { id: req.id, ok: true, xml };
    } else {
      res = { id: (req as { id: number }).id, ok: false, error: 'Opération de signature inconnue.' };
    }
  } catch (e) {
    // Never the key nor the payload in the message: only what went wrong.
    res = { id: req.id, ok: false, error: `Signature DMP impossible : ${e instanceof Error ? e.message : 'erreur inconnue'}` };
  }
  port.postMessage(res);
});
