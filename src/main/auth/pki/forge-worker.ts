import { parentPort } from 'node:worker_threads';
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

const port = parentPort;
if (!port) throw new Error('forge-worker must run in a worker thread');
port.on('message', async (msg: { id: number; request: ForgeRequest }) => {
  try {
    port.postMessage({ id: msg.id, ok: true, value: await handle(msg.request) });
  } catch (err) {
    const code = err instanceof AuthError ? err.code : 'worker_failed';
    const message = err instanceof AuthError ? err.message : `Erreur interne du traitement des certificats : ${(err as Error).message}`;
    port.postMessage({ id: msg.id, ok: false, error: { code, message } });
  }
});
