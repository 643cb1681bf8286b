import { hash as cryptoHash } from 'node:crypto';

/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing, proofs and
 * compact ranges.
 *
 * Hashes travel internally as 32-character latin1 "binary strings": Node's
 * one-shot crypto.hash() returns them about 4× faster than Buffers (no backing
 * store to allocate), which is what lets a 1M-entry journal verify in under 2 s.
 * Public proof APIs take and return Buffers.
 */
export type BinHash = string;

export const HASH_SIZE = 32;

const nodeScratch = Buffer.alloc(1 + 2 * HASH_SIZE);
nodeScratch[0] = 0x01;
// Buffer's undocumented latin1Write skips write()'s encoding dispatch: node hashing is half of verification.
const scratchWrite = (nodeScratch as unknown as { latin1Write?: (s: string, off: number, len: number) => number }).latin1Write
  ? (s: string, off: number) => (nodeScratch as unknown as { latin1Write: (s: string, off: number, len: number) => number }).latin1Write(s, off, HASH_SIZE)
  : (s: string, off: number) => nodeScratch.write(s, off, HASH_SIZE, 'latin1');

/** SHA-256(0x00 ‖ entry). */
export function leafHashBin(entry: Uint8Array): BinHash {
  const b = Buffer.allocUnsafe(entry.length + 1);
  b[0] = 0x00;
  b.set(entry, 1);
  return cryptoHash('sha256', b, 'binary');
}

/** SHA-256(0x01 ‖ left ‖ right). */
export function nodeHashBin(left: BinHash, right: BinHash): BinHash {
  scratchWrite(left, 1);
  scratchWrite(right, 1 + HASH_SIZE);
  return cryptoHash('sha256', nodeScratch, 'binary');
}

export const EMPTY_ROOT_BIN: BinHash = cryptoHash('sha256', Buffer.alloc(0), 'binary');

export const toBuf = (h: BinHash): Buffer => Buffer.from(h, 'latin1');
export const fromBuf = (b: Uint8Array): BinHash => Buffer.from(b).toString('latin1');

export function leafHash(entry: Uint8Array): Buffer {
  return toBuf(leafHashBin(entry));
}
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return toBuf(nodeHashBin(fromBuf(left), fromBuf(right)));
}

/** Largest power of two strictly smaller than n (n ≥ 2). */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

const isPow2 = (n: number): boolean => n > 0 && Number.isInteger(Math.log2(n));

/**
 * The compact range [0, size): the roots of the perfect subtrees given by the
 * binary digits of size, largest first. Appending is amortised O(1) hashes,
 * O(log n) worst case; the root costs O(log n).
 */
export class CompactTree {
  size: number;
  hashes: BinHash[];

  constructor(size = 0, hashes: BinHash[] = []) {
    if (popcount(size) !== hashes.length) throw new Error('Plage compacte incohérente avec la taille de l’arbre.');
    this.size = size;
    this.hashes = hashes.slice();
  }

  /** Appends a leaf hash; `onNode` sees every perfect subtree completed (level, index, hash). */
  push(leaf: BinHash, onNode?: (level: number, index: number, hash: BinHash) => void): void {
    this.pushSubtree(0, leaf, onNode);
  }

  /** Appends the root of a perfect subtree of 2^level leaves starting at this.size (must be aligned). */
  pushSubtree(level: number, hash: BinHash, onNode?: (level: number, index: number, hash: BinHash) => void): void {
    const width = 2 ** level;
    if (this.size % width !== 0) throw new Error('Sous-arbre non aligné.');
    let h = hash;
    let lvl = level;
    let idx = this.size / width;
    onNode?.(lvl, idx, h);
    while (idx % 2 === 1) {
      h = nodeHashBin(this.hashes.pop() as BinHash, h);
      lvl++;
      idx = (idx - 1) / 2;
      onNode?.(lvl, idx, h);
    }
    this.hashes.push(h);
    this.size += width;
  }

  root(): BinHash {
    return foldRoot(this.hashes);
  }

  clone(): CompactTree {
    return new CompactTree(this.size, this.hashes);
  }
}

export function foldRoot(hashes: readonly BinHash[]): BinHash {
  if (hashes.length === 0) return EMPTY_ROOT_BIN;
  let r = hashes[hashes.length - 1] as BinHash;
  for (let i = hashes.length - 2; i >= 0; i--) r = nodeHashBin(hashes[i] as BinHash, r);
  return r;
}

export function popcount(n: number): number {
  let c = 0;
  while (n > 0) {
    c += n % 2;
    n = Math.floor(n / 2);
  }
  return c;
}

/**
 * A compact range [begin, end) for arbitrary begin: the maximal aligned perfect
 * subtrees covering it, left to right. Verification workers build one per chunk
 * and the main thread appends them to the [0, begin) tree with pushSubtree.
 */
export interface RangeNode {
  level: number;
  hash: BinHash;
}

export class RangeBuilder {
  readonly begin: number;
  end: number;
  nodes: RangeNode[] = [];

  constructor(begin: number) {
    this.begin = begin;
    this.end = begin;
  }

  push(leaf: BinHash): void {
    let h = leaf;
    let level = 0;
    let pos = this.end; // left edge of the current node
    const nodes = this.nodes;
    for (;;) {
      const width = 2 ** level;
      const last = nodes[nodes.length - 1];
      // A right child whose left sibling is the last node of the range merges with it.
      if (last !== undefined && last.level === level && (pos / width) % 2 === 1) {
        nodes.pop();
        h = nodeHashBin(last.hash, h);
        pos -= width;
        level++;
      } else break;
    }
    nodes.push({ level, hash: h });
    this.end++;
  }

  snapshot(): RangeNode[] {
    return this.nodes.slice();
  }
}

/** Appends a range's nodes (built from begin = tree.size) to a [0, n) compact tree. */
export function appendRange(tree: CompactTree, nodes: readonly RangeNode[]): void {
  for (const n of nodes) tree.pushSubtree(n.level, n.hash);
}

// ---------------------------------------------------------------------------
// Proofs (RFC 9162 §2.1.3 and §2.1.4), over a function giving MTH(D[start:end)).

/** MTH of the range [start, end); `perfect` answers for aligned power-of-two ranges. */
export type SubtreeHash = (start: number, end: number) => BinHash;

/** Builds an MTH function from the list of all leaf hashes (tests, small trees). */
export function mthFromLeaves(leaves: readonly BinHash[]): SubtreeHash {
  const mth: SubtreeHash = (start, end) => {
    const n = end - start;
    if (n === 0) return EMPTY_ROOT_BIN;
    if (n === 1) return leaves[start] as BinHash;
    const k = splitPoint(n);
    return nodeHashBin(mth(start, start + k), mth(start + k, end));
  };
  return mth;
}

/** RFC 9162 §2.1.3.1 PATH(m, D[n]), for the tree [0, n). */
export function inclusionPath(m: number, n: number, mth: SubtreeHash): BinHash[] {
  if (!(m >= 0 && m < n)) throw new Error(`Index ${m} hors de l’arbre de taille ${n}.`);
  const path = (m: number, start: number, end: number): BinHash[] => {
    const n = end - start;
    if (n === 1) return [];
    const k = splitPoint(n);
    if (m < k) return [...path(m, start, start + k), mth(start + k, end)];
    return [...path(m - k, start + k, end), mth(start, start + k)];
  };
  return path(m, 0, n);
}

/** RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true). */
export function consistencyPath(m: number, n: number, mth: SubtreeHash): BinHash[] {
  if (!(m >= 0 && m <= n)) throw new Error(`Tailles ${m} et ${n} incompatibles.`);
  if (m === 0 || m === n) return [];
  const sub = (m: number, start: number, end: number, b: boolean): BinHash[] => {
    const n = end - start;
    if (m === n) return b ? [] : [mth(start, end)];
    const k = splitPoint(n);
    if (m <= k) return [...sub(m, start, start + k, b), mth(start + k, end)];
    return [...sub(m - k, start + k, end, false), mth(start, start + k)];
  };
  return sub(m, 0, n, true);
}

/** A proof check that failed, with a precise French reason. */
export class ProofError extends Error {}

function checkHash(h: Uint8Array, what: string): void {
  if (h.length !== HASH_SIZE) throw new ProofError(`${what} fait ${h.length} octets au lieu de ${HASH_SIZE}`);
}

function lsb(n: number): boolean {
  return n % 2 === 1;
}
const shr = (n: number): number => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2; throws ProofError with the reason. */
export function verifyInclusion(leafIndex: number, treeSize: number, leaf: Uint8Array, proof: readonly Uint8Array[], root: Uint8Array): void {
  checkHash(leaf, 'le hash de feuille');
  checkHash(root, 'la racine');
  proof.forEach((p, i) => checkHash(p, `l’élément ${i} de la preuve`));
  if (!Number.isSafeInteger(leafIndex) || !Number.isSafeInteger(treeSize) || leafIndex < 0 || treeSize < 0) {
    throw new ProofError('index ou taille d’arbre invalide');
  }
  if (leafIndex >= treeSize) throw new ProofError(`l’index ${leafIndex} n’est pas dans un arbre de taille ${treeSize}`);
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = fromBuf(leaf);
  for (const pb of proof) {
    const p = fromBuf(pb);
    if (sn === 0) throw new ProofError('la preuve est trop longue');
    if (lsb(fn) || fn === sn) {
      r = nodeHashBin(p, r);
      if (!lsb(fn)) {
        while (!(lsb(fn) || fn === 0)) {
          fn = shr(fn);
          sn = shr(sn);
        }
      }
    } else {
      r = nodeHashBin(r, p);
    }
    fn = shr(fn);
    sn = shr(sn);
  }
  if (sn !== 0) throw new ProofError('la preuve est trop courte');
  if (r !== fromBuf(root)) throw new ProofError('la racine recalculée ne correspond pas à la racine attendue');
}

/** RFC 9162 §2.1.4.2, with the size1 = 0 and size1 = size2 cases of transparency-dev/merkle. */
export function verifyConsistency(size1: number, size2: number, root1: Uint8Array, root2: Uint8Array, proof: readonly Uint8Array[]): void {
  checkHash(root1, 'la première racine');
  checkHash(root2, 'la seconde racine');
  proof.forEach((p, i) => checkHash(p, `l’élément ${i} de la preuve`));
  if (!Number.isSafeInteger(size1) || !Number.isSafeInteger(size2) || size1 < 0 || size2 < 0) {
    throw new ProofError('taille d’arbre invalide');
  }
  if (size2 < size1) throw new ProofError(`la taille ${size2} est inférieure à la taille ${size1}`);
  if (size1 === size2) {
    if (proof.length > 0) throw new ProofError('la preuve devrait être vide pour deux arbres de même taille');
    if (fromBuf(root1) !== fromBuf(root2)) throw new ProofError('les deux racines diffèrent pour une même taille');
    return;
  }
  if (size1 === 0) {
    if (proof.length > 0) throw new ProofError('la preuve devrait être vide depuis un arbre vide');
    return;
  }
  if (proof.length === 0) throw new ProofError('la preuve est vide');
  const path = proof.map(fromBuf);
  if (isPow2(size1)) path.unshift(fromBuf(root1));
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (lsb(fn)) {
    fn = shr(fn);
    sn = shr(sn);
  }
  let fr = path[0] as BinHash;
  let sr = fr;
  for (let i = 1; i < path.length; i++) {
    const c = path[i] as BinHash;
    if (sn === 0) throw new ProofError('la preuve est trop longue');
    if (lsb(fn) || fn === sn) {
      fr = nodeHashBin(c, fr);
      sr = nodeHashBin(c, sr);
      if (!lsb(fn)) {
        while (!(lsb(fn) || fn === 0)) {
          fn = shr(fn);
          sn = shr(sn);
        }
      }
    } else {
      sr = nodeHashBin(sr, c);
    }
    fn = shr(fn);
    sn = shr(sn);
  }
  if (sn !== 0) throw new ProofError('la preuve est trop courte');
  if (fr !== fromBuf(root1)) throw new ProofError('la première racine recalculée ne correspond pas');
  if (sr !== fromBuf(root2)) throw new ProofError('la seconde racine recalculée ne correspond pas');
}
