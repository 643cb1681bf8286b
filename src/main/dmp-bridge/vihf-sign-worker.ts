import { parentPort, workerData } from 'node:worker_threads';
import { signVihf } from '../dmp/vihf';

// Signs VIHF assertions (RSA-SHA256, exclusive c14n) off the thread that serves the renderer.
// The establishment key arrives once, at start, in workerData; it never travels per message.
const { keyPem, certPem } = workerData as { keyPem: string; certPem: string };

parentPort!.on('message', (msg: { id: number; assertionXml: string }) => {
  try {
    parentPort!.postMessage({ id: msg.id, ok: true, xml: signVihf(msg.assertionXml, keyPem, certPem) });
  } catch (err) {
    parentPort!.postMessage({ id: msg.id, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
});
