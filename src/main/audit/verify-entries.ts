import { toBuf, fromBuf, CompactTree, appendRange } from './merkle';
import type { StoredCheckpoint } from './checkpoint';
import { MAX_ENTRY_BYTES } from './entry';
import { PREFIX_BYTES } from './record';
import { readAt } from './scan';
import type { ChunkResult } from './verify-chunk';
import type { Problem } from './verify-checkpoints';

/**
 * Folds chunk results, in file order, into the tree of all entries and checks
 * each valid checkpoint's root and hints when the tree reaches its size.
 */
export class EntryChecker {
  readonly tree = new CompactTree();
  problem: Problem | undefined;
  /** Checkpoints whose root matched the entries. */
  checked = 0;
  private readonly rootBySize: Map<number, StoredCheckpoint>;

  constructor(private readonly valid: readonly StoredCheckpoint[]) {
    this.rootBySize = new Map(valid.map((c) => [c.treeSize, c] as const));
  }

  /** False once a problem is found (the scan stops there). */
  handle(res: ChunkResult, chunkOffset: number): boolean {
    const tree = this.tree;
    if (res.count > 0 && res.first !== tree.size) {
      this.problem = { seq: tree.size, reason: `Entrée ${tree.size} : numéro de séquence ${res.first} au lieu de ${tree.size} (entrée supprimée, insérée ou déplacée).` };
      return false;
    }
    for (const snap of res.snapshots) {
      const t = tree.clone();
      appendRange(t, snap.nodes);
      const cp = this.rootBySize.get(snap.size) as StoredCheckpoint;
      const hintsOk = cp.journalBytes === chunkOffset + snap.endInChunk && cp.compact.join() === t.hashes.map((h) => toBuf(h).toString('base64')).join();
      const rootOk = t.root() === fromBuf(Buffer.from(cp.rootHash, 'base64'));
      if (rootOk && !hintsOk) {
        this.problem = { seq: cp.treeSize, checkpoint: cp.index, reason: `Point de contrôle n°${cp.index} : position dans le fichier ou plage compacte altérée.` };
        return false;
      }
      if (!rootOk) {
        const before = this.valid[cp.index - 1]?.treeSize ?? 0;
        this.problem = {
          seq: before,
          checkpoint: cp.index,
          reason: `Les entrées ${before} à ${cp.treeSize - 1} ne correspondent pas à la racine signée du point de contrôle n°${cp.index} : au moins une a été modifiée, insérée, supprimée ou déplacée.`,
        };
        return false;
      }
      this.checked++;
    }
    appendRange(tree, res.nodes);
    if (res.error) {
      this.problem = { seq: tree.size, reason: `Entrée ${tree.size} (octet ${chunkOffset + res.error.offsetInChunk}) : ${res.error.reason}.` };
      return false;
    }
    return true;
  }

  /** After the last chunk: a tail without newline is a torn or overlong record. */
  finish(carryBytes: number, overlong: boolean): void {
    if (this.problem) return;
    const size = this.tree.size;
    if (overlong) {
      this.problem = { seq: size, reason: `Entrée ${size} : enregistrement sans fin de ligne plus long que toute entrée possible (${carryBytes} octets).` };
    } else if (carryBytes > 0) {
      this.problem = {
        seq: size,
        reason: `Entrée ${size} : enregistrement incomplet en fin de journal (${carryBytes} octets sans fin de ligne) — arrêt brutal probable ou troncature ; rouvrez l’application pour réparer.`,
      };
    }
  }

  /** Checkpoints beyond the entries present: entries were cut off the end. */
  checkBeyond(): void {
    if (this.problem) return;
    const beyond = this.valid.find((c) => c.treeSize > this.tree.size);
    if (beyond) {
      this.problem = {
        seq: this.tree.size,
        checkpoint: beyond.index,
        reason: `Le point de contrôle n°${beyond.index} couvre ${beyond.treeSize} entrées mais le journal n’en contient que ${this.tree.size} : des entrées ont été supprimées en fin de journal.`,
      };
    }
  }
}

export interface ChunkStreamOptions {
  fd: number;
  total: number;
  chunkBytes: number;
  onProgress?: (done: number, total: number) => void;
  /** Hashes a chunk (byte 0 reserved, whole records up to length); may run in a worker. */
  hash: (buf: Buffer, length: number) => ChunkResult | Promise<ChunkResult>;
  /** Chunks read ahead while earlier ones are being hashed. */
  readAhead: number;
  /** Gets the results in file order; false stops the stream. */
  onResult: (res: ChunkResult, chunkOffset: number) => boolean;
}

/**
 * Reads journal.log in chunks of whole records (the partial last line carried
 * to the next chunk), hashes them with bounded read-ahead and hands the
 * results over in file order. Returns the bytes left without newline.
 */
export async function streamChunks(o: ChunkStreamOptions): Promise<{ carryBytes: number; overlong: boolean }> {
  let fileOffset = 0;
  let carry = Buffer.alloc(0);
  let id = 0;
  let nextToHandle = 0;
  const ready = new Map<number, { res: ChunkResult; offset: number }>();
  const inFlight: Promise<void>[] = [];
  let stop = false;
  let overlong = false;

  const drainReady = (): void => {
    while (!stop && ready.has(nextToHandle)) {
      const { res, offset } = ready.get(nextToHandle) as { res: ChunkResult; offset: number };
      ready.delete(nextToHandle);
      nextToHandle++;
      if (!o.onResult(res, offset)) stop = true;
    }
  };

  while (!stop && !overlong && fileOffset < o.total) {
    const want = Math.min(o.chunkBytes, o.total - fileOffset);
    const buf = Buffer.allocUnsafeSlow(1 + carry.length + want);
    buf[0] = 0;
    carry.copy(buf, 1);
    const got = await readAt(o.fd, buf, 1 + carry.length, want, fileOffset);
    if (got === 0) break;
    fileOffset += got;
    const filled = 1 + carry.length + got;
    const chunkStart = fileOffset - got - carry.length;
    const lastNl = buf.lastIndexOf(0x0a, filled - 1);
    const end = lastNl < 1 ? 1 : lastNl + 1;
    carry = Buffer.from(buf.subarray(end, filled));
    if (carry.length > MAX_ENTRY_BYTES + PREFIX_BYTES + 1) overlong = true;
    o.onProgress?.(fileOffset - carry.length, o.total);
    if (end === 1) continue;
    const myId = id++;
    const hashed = o.hash(buf, end);
    if (!(hashed instanceof Promise)) {
      ready.set(myId, { res: hashed, offset: chunkStart });
      drainReady();
      continue;
    }
    const handled = hashed.then((res) => {
      ready.set(myId, { res, offset: chunkStart });
      drainReady();
    });
    // Awaited in order below; a failure there must not also surface as unhandled.
    handled.catch(() => undefined);
    inFlight.push(handled);
    if (inFlight.length >= o.readAhead) await inFlight.shift();
  }
  while (inFlight.length > 0) await inFlight.shift();
  drainReady();
  return { carryBytes: carry.length, overlong };
}
