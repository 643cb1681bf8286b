import { RangeBuilder, type RangeNode } from './merkle';
import { checkRecord } from './record';

/**
 * Verification of one chunk of journal.log: whole records only, with byte 0 of
 * the buffer reserved (records are hashed in place). Runs in verify workers, or
 * inline for small journals.
 */
export interface ChunkResult {
  /** seq claimed by the first record (-1 if the chunk holds no valid record). */
  first: number;
  count: number;
  /** Compact range of the chunk's valid records [first, first + count). */
  nodes: RangeNode[];
  /** Compact ranges [first, size) for each checkpoint size inside the chunk. */
  snapshots: { size: number; nodes: RangeNode[]; endInChunk: number }[];
  /** First bad record: its position in the chunk and the reason. */
  error?: { index: number; offsetInChunk: number; reason: string };
}

function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function processChunk(buf: Buffer, length: number, checkpointSizes: readonly number[]): ChunkResult {
  let pos = 1;
  let first = -1;
  let rb: RangeBuilder | null = null;
  let cp = 0;
  const snapshots: ChunkResult['snapshots'] = [];
  let error: ChunkResult['error'];
  let index = 0;
  while (pos < length) {
    const nl = buf.indexOf(0x0a, pos);
    if (nl < 0 || nl >= length) {
      error = { index, offsetInChunk: pos - 1, reason: 'enregistrement incomplet' };
      break;
    }
    const r = checkRecord(buf, pos, nl);
    if (!r.ok) {
      error = { index, offsetInChunk: pos - 1, reason: r.reason };
      break;
    }
    if (rb === null) {
      first = r.seq;
      rb = new RangeBuilder(first);
      cp = lowerBound(checkpointSizes, first + 1);
    } else if (r.seq !== rb.end) {
      error = { index, offsetInChunk: pos - 1, reason: `numéro de séquence ${r.seq} au lieu de ${rb.end}` };
      break;
    }
    rb.push(r.leaf);
    while (cp < checkpointSizes.length && checkpointSizes[cp] === rb.end) {
      snapshots.push({ size: rb.end, nodes: rb.snapshot(), endInChunk: nl });
      cp++;
    }
    index++;
    pos = nl + 1;
  }
  return { first, count: rb ? rb.end - rb.begin : 0, nodes: rb ? rb.nodes : [], snapshots, error };
}
