import { read } from 'node:fs';
import { MAX_ENTRY_BYTES } from './entry';
import { PREFIX_BYTES } from './record';

const MAX_LINE = MAX_ENTRY_BYTES + PREFIX_BYTES + 1;

export function readAt(fd: number, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let done = 0;
    const step = (): void =>
      read(fd, buf, offset + done, length - done, position + done, (err, n) => {
        if (err) return reject(err);
        done += n;
        if (n === 0 || done === length) resolve(done);
        else step();
      });
    step();
  });
}

export interface ScanEnd {
  /** File offset just after the last line handed to onLine (and accepted). */
  end: number;
  /** True when onLine returned false (scan stopped at a line it rejected, at `end`). */
  stopped: boolean;
}

/**
 * Streams the complete lines of [start, limit) of a file, chunk by chunk with
 * asynchronous reads, so a scan of a large journal never blocks the event loop
 * for more than one chunk's work. onLine gets the buffer, line start, newline
 * index and file offset of the line; returning false stops the scan there.
 */
export async function scanLines(
  fd: number,
  start: number,
  limit: number,
  onLine: (buf: Buffer, s: number, nl: number, offset: number) => boolean | void,
  chunkSize = 1 << 20,
): Promise<ScanEnd> {
  let offset = start;
  let buf = Buffer.allocUnsafe(chunkSize + MAX_LINE);
  let carry = 0;
  while (offset + carry < limit) {
    const want = Math.min(buf.length - carry, limit - offset - carry);
    const got = await readAt(fd, buf, carry, want, offset + carry);
    if (got === 0) break;
    const filled = carry + got;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, pos);
      if (nl < 0 || nl >= filled) break;
      if (onLine(buf, pos, nl, offset + pos) === false) return { end: offset + pos, stopped: true };
      pos = nl + 1;
    }
    offset += pos;
    carry = filled - pos;
    if (carry >= MAX_LINE) return { end: offset, stopped: false };
    // Keep the partial line for the next read (fresh buffer: callers may hold slices).
    const next = Buffer.allocUnsafe(chunkSize + MAX_LINE);
    buf.copy(next, 0, pos, filled);
    buf = next;
  }
  return { end: offset, stopped: false };
}
