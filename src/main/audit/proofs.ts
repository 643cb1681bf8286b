import { publicCheckpoint, type Checkpoint, type StoredCheckpoint } from './checkpoint';
import { CompactTree, consistencyPath, inclusionPath, toBuf, type BinHash } from './merkle';
import { checkRecord, recordJson } from './record';
import { scanLines } from './scan';

export interface InclusionProof {
  seq: number;
  /** The entry bytes (canonical JSON) whose leaf hash is proven. */
  entry: string;
  leafHash: string;
  treeSize: number;
  rootHash: string;
  /** Base64 hashes, RFC 9162 order. */
  proof: string[];
  checkpoint: Checkpoint;
}

export interface ConsistencyProof {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[];
}

/** What proofs read from the open journal. */
export interface ProofSource {
  fd: number;
  /** Bytes of journal.log holding durable records. */
  fileBytes(): number;
  /** Entries on disk. */
  size(): number;
  latest(): StoredCheckpoint | null;
}

const b64 = (h: BinHash): string => toBuf(h).toString('base64');

/** Leaf hashes of entries [0, count), streamed from the file. */
async function leafHashes(src: ProofSource, count: number): Promise<BinHash[]> {
  const leaves: BinHash[] = [];
  await scanLines(src.fd, 0, src.fileBytes(), (buf, s, nl) => {
    if (leaves.length >= count) return false;
    const r = checkRecord(buf, s, nl);
    if (!r.ok || r.seq !== leaves.length) {
      throw new Error(`Journal d’audit endommagé à l’entrée ${leaves.length} : lancez « npm run journal -- verify ».`);
    }
    leaves.push(r.leaf);
  });
  if (leaves.length < count) throw new Error(`Journal d’audit incomplet : ${leaves.length} entrées au lieu de ${count}.`);
  return leaves;
}

function subtreeFrom(leaves: readonly BinHash[]): (start: number, end: number) => BinHash {
  // Proofs ask O(log n) subtrees whose sizes sum to about n: O(n) hashes in all.
  return (start, end) => {
    const t = new CompactTree();
    for (let i = start; i < end; i++) t.push(leaves[i] as BinHash);
    return t.root();
  };
}

/** Inclusion proof of an entry against the latest checkpoint (RFC 9162). */
export async function proveInclusion(src: ProofSource, seq: number): Promise<InclusionProof> {
  const cp = src.latest();
  if (!Number.isSafeInteger(seq) || seq < 0) throw new Error('Numéro d’entrée invalide.');
  if (!cp || seq >= cp.treeSize) {
    throw new Error(`L’entrée ${seq} n’est pas encore couverte par un point de contrôle signé${cp ? ` (dernier : ${cp.treeSize} entrées)` : ''}.`);
  }
  const leaves = await leafHashes(src, cp.treeSize);
  const mth = subtreeFrom(leaves);
  let entry = '';
  await scanLines(src.fd, 0, src.fileBytes(), (buf, s, nl) => {
    const r = checkRecord(buf, s, nl);
    if (r.ok && r.seq === seq) {
      entry = recordJson(buf, s, nl);
      return false;
    }
  });
  return {
    seq,
    entry,
    leafHash: b64(leaves[seq] as BinHash),
    treeSize: cp.treeSize,
    rootHash: cp.rootHash,
    proof: inclusionPath(seq, cp.treeSize, mth).map(b64),
    checkpoint: publicCheckpoint(cp),
  };
}

/** Consistency proof between two sizes (default: from size1 to the latest checkpoint). */
export async function proveConsistency(src: ProofSource, size1: number, size2?: number): Promise<ConsistencyProof> {
  const to = size2 ?? src.latest()?.treeSize ?? 0;
  const size = src.size();
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(to) || size1 < 0 || size1 > to || to > size) {
    throw new Error(`Tailles ${size1} et ${to} invalides pour un journal de ${size} entrées.`);
  }
  const leaves = await leafHashes(src, to);
  const mth = subtreeFrom(leaves);
  return {
    size1,
    size2: to,
    root1: b64(mth(0, size1)),
    root2: b64(mth(0, to)),
    proof: consistencyPath(size1, to, mth).map(b64),
  };
}
