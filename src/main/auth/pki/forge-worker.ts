import { serveWorkerRpc } from '../../host/worker-serve';
import { AuthError } from '../errors';
import { openPkcs12, verifyPersonalCertificate } from './forge-ops';
import { generatePkiMaterial, issuePersonal } from './material';
import type { ForgeRequest } from './forge-protocol';

/** Worker entry: runs the forge tasks off the main thread, one message at a time. */

async function handle(req: ForgeRequest): Promise<unknown> {
  switch (req.op) {
    case 'loginCertificate': {
      const opened = openPkcs12(req.p12, req.pin);
      return verifyPersonalCertificate(opened.certPem, req.caCertPem, new Date(req.nowMs));
    }
    case 'openPkcs12':
      return openPkcs12(req.p12, req.password);
    case 'generatePki':
      return generatePkiMaterial(req.nowMs, req.users);
    case 'issuePersonal':
      return issuePersonal(req.ca, req.user, { notBefore: new Date(req.notBeforeMs), notAfter: new Date(req.notAfterMs) });
  }
}

serveWorkerRpc<ForgeRequest, unknown>(handle, (err) =>
  err instanceof AuthError
    ? { code: err.code, message: err.message }
    : { code: 'worker_failed', message: `Erreur interne du traitement des certificats : ${(err as Error).message}` },
);
