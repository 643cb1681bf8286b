import { serveWorkerRpc } from '../host/worker-serve';
import type { CdaRequest, CdaResults } from './cda-protocol';
import { patientMismatch } from './handlers/identity-check';

/**
 * Worker thread parsing the CDA documents main receives from the DMP. A CDA can be megabytes of
 * markup: its DOM is built here, under the heap cap the client sets, so a hostile one costs this
 * thread and never the one serving the renderer.
 */
serveWorkerRpc<CdaRequest, CdaResults[keyof CdaResults]>((req) => {
  switch (req.op) {
    case 'identity':
      return patientMismatch(req.xml, req.ins, req.identity);
  }
});
