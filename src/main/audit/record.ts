import { hash as cryptoHash } from 'node:crypto';
import type { BinHash } from './merkle';

/**
 * On-disk record format of journal.log — one entry per line:
 *
 *     <16 hex: first 8 bytes of the leaf hash> <space> <entry JSON> <\n>
 *
 * Why lines rather than binary length-prefixed frames:
 * - the entry JSON never contains a raw newline (JSON escaping), so Buffer.indexOf
 *   (native, memchr) finds record boundaries at memory speed when verify streams
 *   1M entries, and a reader can split the file at any byte by skipping to the
 *   next newline (how verification is spread over worker threads);
 * - a write cut by a crash leaves a last line without "\n" (or whose check does
 *   not match): recovery keeps everything up to the last complete, matching line;
 * - the check is the leaf hash itself (SHA-256(0x00 ‖ entry)), which verification
 *   computes anyway: accidental corruption is pinned to its exact entry at no
 *   extra cost, while deliberate edits (check recomputed) are caught by the
 *   signed Merkle roots;
 * - the space before the JSON is overwritten in place with 0x00 while hashing, so
 *   the leaf hash input 0x00 ‖ entry is hashed without copying;
 * - it stays greppable text for the DPO and the hospital's tools.
 */
export const CHECK_CHARS = 16;
export const PREFIX_BYTES = CHECK_CHARS + 1;
const SPACE = 0x20;
const SEQ_PREFIX = Buffer.from('{"seq":', 'latin1');

const HEX = '0123456789abcdef';
const CHECK_PLACEHOLDER = '0'.repeat(CHECK_CHARS);
const HEX_VAL = new Int8Array(256).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VAL[HEX.charCodeAt(i)] = i;
}

/** Builds the record line of an entry and returns its leaf hash. */
export function encodeRecord(json: string): { line: Buffer; leaf: BinHash } {
  // One allocation: placeholder check, the 0x00 leaf prefix where the space goes, entry, newline.
  const line = Buffer.from(`${CHECK_PLACEHOLDER}\u0000${json}\n`, 'utf8');
  const leaf = cryptoHash('sha256', line.subarray(CHECK_CHARS, line.length - 1), 'binary');
  for (let i = 0; i < CHECK_CHARS / 2; i++) {
    const c = leaf.charCodeAt(i);
    line[2 * i] = HEX.charCodeAt(c >> 4);
    line[2 * i + 1] = HEX.charCodeAt(c & 15);
  }
  line[CHECK_CHARS] = SPACE;
  return { line, leaf };
}

export type RecordCheck = { ok: true; leaf: BinHash; seq: number } | { ok: false; reason: string };

/**
 * Checks the record in buf[start, nl) (nl = index of its newline) and hashes it.
 * Temporarily writes 0x00 over the separator: the caller must own buf.
 */
export function checkRecord(buf: Buffer, start: number, nl: number): RecordCheck {
  const jsonStart = start + PREFIX_BYTES;
  if (nl - jsonStart < SEQ_PREFIX.length + 2) return { ok: false, reason: 'enregistrement trop court' };
  if (buf[start + CHECK_CHARS] !== SPACE) return { ok: false, reason: 'séparateur manquant' };
  for (let i = 0; i < SEQ_PREFIX.length; i++) {
    if (buf[jsonStart + i] !== SEQ_PREFIX[i]) return { ok: false, reason: 'début d’entrée mal formé' };
  }
  let seq = 0;
  let p = jsonStart + SEQ_PREFIX.length;
  const digitsStart = p;
  for (;;) {
    const c = buf[p] as number;
    if (p >= nl || c < 0x30 || c > 0x39 || p - digitsStart >= 16) break;
    seq = seq * 10 + (c - 0x30);
    p++;
  }
  if (p === digitsStart || buf[p] !== 0x2c || (buf[digitsStart] === 0x30 && p - digitsStart > 1)) {
    return { ok: false, reason: 'numéro de séquence illisible' };
  }
  buf[start + CHECK_CHARS] = 0x00;
  const leaf = cryptoHash('sha256', buf.subarray(start + CHECK_CHARS, nl), 'binary');
  buf[start + CHECK_CHARS] = SPACE;
  if (!checkMatches(buf, start, leaf)) return { ok: false, reason: 'empreinte de l’enregistrement incorrecte' };
  return { ok: true, leaf, seq };
}

/** Compares the stored 16 hex characters with the first 8 bytes of the leaf hash. */
export function checkMatches(buf: Buffer, start: number, leaf: BinHash): boolean {
  for (let i = 0; i < CHECK_CHARS / 2; i++) {
    const hi = HEX_VAL[buf[start + 2 * i] as number] as number;
    const lo = HEX_VAL[buf[start + 2 * i + 1] as number] as number;
    if (hi < 0 || lo < 0 || ((hi << 4) | lo) !== leaf.charCodeAt(i)) return false;
  }
  return true;
}

/** The entry JSON of a record line buf[start, nl). */
export function recordJson(buf: Buffer, start: number, nl: number): string {
  return buf.toString('utf8', start + PREFIX_BYTES, nl);
}
