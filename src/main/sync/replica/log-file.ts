import { promises as fsp, type Stats } from 'node:fs';

/**
 * An append-only file of newline-terminated JSON lines, line N holding seq N, with a side index of 8-byte line
 * offsets so a reader jumps to a seq without scanning. Each append is fsynced before it resolves; the index is
 * written after the line is durable, so at reopen it can only lag (rebuilt from the log) or be damaged in its
 * tail (cut back to its longest consistent prefix). A torn last line (crash mid-write) is cut off.
 */
export interface LogFile {
  /** Number of lines = last seq. */
  count(): number;
  append(line: string): Promise<number>;
  /** The raw text of lines [from, to] (1-based, inclusive). */
  readLines(from: number, to: number): Promise<string[]>;
  /** Byte length of line `seq` (without its newline): lets a reader bound a read before parsing. */
  lineBytes(seq: number): number;
  close(): Promise<void>;
}

const OFFSET_BYTES = 8;

async function statOrNull(file: string): Promise<Stats | null> {
  try {
    return await fsp.stat(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Longest prefix of index entries that are strictly increasing, start a line and lie inside the log. */
function validIndexPrefix(raw: Buffer, logSize: number): number[] {
  const offsets: number[] = [];
  const n = Math.floor(raw.length / OFFSET_BYTES);
  let prev = -1;
  for (let i = 0; i < n; i++) {
    const off = Number(raw.readBigUInt64LE(i * OFFSET_BYTES));
    if (off <= prev || off >= logSize || (i === 0 && off !== 0)) break;
    offsets.push(off);
    prev = off;
  }
  return offsets;
}

/** Scans the log from `start`, returning the offsets of the complete lines found and where valid data ends. */
async function scanFrom(handle: fsp.FileHandle, start: number, size: number, isValid: (line: string, k: number) => boolean): Promise<{ offsets: number[]; end: number; torn: boolean }> {
  const offsets: number[] = [];
  const chunk = Buffer.alloc(4 * 1024 * 1024);
  let pending: Buffer[] = [];
  let lineStart = start;
  let pos = start;
  while (pos < size) {
    const { bytesRead } = await handle.read(chunk, 0, Math.min(chunk.length, size - pos), pos);
    if (bytesRead === 0) break;
    let from = 0;
    for (let nl = chunk.indexOf(10, from); nl !== -1 && nl < bytesRead; nl = chunk.indexOf(10, from)) {
      pending.push(chunk.subarray(from, nl));
      const line = Buffer.concat(pending).toString('utf8');
      pending = [];
      if (!isValid(line, offsets.length)) {
        // Only the last line can be torn by a crash (each line is fsynced before the next): anything after it is damage.
        if (pos + nl + 1 < size) throw new Error(`Le journal de la réplique est endommagé (ligne ${offsets.length + 1} après l'octet ${start}) : supprimez le dossier replica pour le reconstruire depuis le serveur hospitalier.`);
        return { offsets, end: lineStart, torn: true };
      }
      offsets.push(lineStart);
      lineStart = pos + nl + 1;
      from = nl + 1;
    }
    if (from < bytesRead) pending.push(Buffer.from(chunk.subarray(from, bytesRead)));
    pos += bytesRead;
  }
  return { offsets, end: lineStart, torn: lineStart < size };
}

export async function openLogFile(logPath: string, indexPath: string, isValid: (line: string, seq: number) => boolean): Promise<LogFile> {
  const logStat = await statOrNull(logPath);
  const handle = await fsp.open(logPath, logStat ? 'r+' : 'w+', 0o600);
  let size = logStat?.size ?? 0;
  const idxRaw = (await statOrNull(indexPath)) ? await fsp.readFile(indexPath) : Buffer.alloc(0);
  const offsets = validIndexPrefix(idxRaw, size);
  // Re-check the last indexed line too: its bytes may be what a crash tore.
  const resumeAt = offsets.length ? offsets.pop()! : 0;
  const base = offsets.length;
  const scanned = await scanFrom(handle, resumeAt, size, (line, k) => isValid(line, base + k + 1)).catch(async (err: unknown) => {
    await handle.close();
    throw err;
  });
  offsets.push(...scanned.offsets);
  if (scanned.torn) {
    await handle.truncate(scanned.end);
    await handle.sync();
    size = scanned.end;
  }
  const idxBuf = Buffer.alloc(offsets.length * OFFSET_BYTES);
  offsets.forEach((off, i) => idxBuf.writeBigUInt64LE(BigInt(off), i * OFFSET_BYTES));
  await fsp.writeFile(indexPath, idxBuf, { mode: 0o600 });
  const idx = await fsp.open(indexPath, 'a', 0o600);

  const endOf = (seq: number) => (seq < offsets.length ? offsets[seq]! : size);
  return {
    count: () => offsets.length,
    lineBytes: (seq) => endOf(seq) - offsets[seq - 1]! - 1,
    async append(line) {
      const buf = Buffer.from(line + '\n', 'utf8');
      const at = size;
      let off = 0;
      while (off < buf.length) off += (await handle.write(buf, off, buf.length - off, at + off)).bytesWritten;
      await handle.datasync();
      size = at + buf.length;
      offsets.push(at);
      const entry = Buffer.alloc(OFFSET_BYTES);
      entry.writeBigUInt64LE(BigInt(at));
      await idx.write(entry);
      return offsets.length;
    },
    async readLines(from, to) {
      if (from > to) return [];
      const start = offsets[from - 1]!;
      const buf = Buffer.alloc(endOf(to) - start);
      let got = 0;
      while (got < buf.length) {
        const { bytesRead } = await handle.read(buf, got, buf.length - got, start + got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      const lines: string[] = [];
      for (let s = from; s <= to; s++) lines.push(buf.toString('utf8', offsets[s - 1]! - start, endOf(s) - start - 1));
      return lines;
    },
    async close() {
      await idx.close();
      await handle.close();
    },
  };
}
