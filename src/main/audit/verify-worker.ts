import { serveWorkerRpc } from '../host/worker-serve';
import { processChunk, type ChunkResult } from './verify-chunk';
import type { VerifyRequest } from './verify-pool';

/**
 * Verification worker: hashes chunks of journal.log handed over (transferred)
 * by verify.ts. Started before the checkpoints are read (startup overlaps that
 * work), so the checkpoint sizes arrive as the first request.
 */
let checkpointSizes: number[] = [];

serveWorkerRpc<VerifyRequest, ChunkResult | null>((req) => {
  if (req.op === 'sizes') {
    checkpointSizes = req.sizes;
    return null;
  }
  return processChunk(Buffer.from(req.buf), req.length, checkpointSizes);
});
