import { parentPort } from 'node:worker_threads';
import { processChunk } from './verify-chunk';

/**
 * Verification worker: hashes chunks of journal.log handed over (transferred)
 * by verify.ts. Started before the checkpoints are read (startup overlaps that
 * work), so the checkpoint sizes arrive as the first message.
 */
let checkpointSizes: number[] = [];

parentPort?.on('message', (msg: { sizes: number[] } | { id: number; buf: ArrayBuffer; length: number }) => {
  if ('sizes' in msg) {
    checkpointSizes = msg.sizes;
    return;
  }
  const result = processChunk(Buffer.from(msg.buf), msg.length, checkpointSizes);
  parentPort?.postMessage({ id: msg.id, result });
});
