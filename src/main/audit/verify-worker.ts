import { parentPort, workerData } from 'node:worker_threads';
import { processChunk } from './verify-chunk';

/** Verification worker: hashes chunks of journal.log handed over (transferred) by verify.ts. */
const checkpointSizes = (workerData as { checkpointSizes: number[] }).checkpointSizes;

parentPort?.on('message', (msg: { id: number; buf: ArrayBuffer; length: number }) => {
  const result = processChunk(Buffer.from(msg.buf), msg.length, checkpointSizes);
  parentPort?.postMessage({ id: msg.id, result });
});
