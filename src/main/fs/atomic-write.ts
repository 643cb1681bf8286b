import { randomBytes } from 'node:crypto';
import * as nodeFs from 'node:fs';
import path from 'node:path';

/** The file operations of writeFileAtomic; tests replace one to simulate a crash midway or observe the fsyncs. */
export interface AtomicWriteFs {
  open: typeof nodeFs.promises.open;
  rename: typeof nodeFs.promises.rename;
  unlink: typeof nodeFs.promises.unlink;
}

/** The file operations of writeFileAtomicSync (same purpose). */
export interface AtomicWriteSyncFs {
  openSync: typeof nodeFs.openSync;
  writeSync: (fd: number, buffer: Uint8Array, offset: number, length: number) => number;
  fsyncSync: typeof nodeFs.fsyncSync;
  closeSync: typeof nodeFs.closeSync;
  renameSync: typeof nodeFs.renameSync;
  unlinkSync: typeof nodeFs.unlinkSync;
}

export interface AtomicWriteOptions {
  /** Permissions of the new file; 0600 by default (most callers write secrets or health data). */
  mode?: number;
}

const realFs: AtomicWriteFs = { open: nodeFs.promises.open, rename: nodeFs.promises.rename, unlink: nodeFs.promises.unlink };
const realSyncFs: AtomicWriteSyncFs = nodeFs;

/** A temp file beside the target (same file system, so the rename is atomic), never reused. */
function tempPath(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** FileHandle.write may write fewer bytes than asked: loop until the whole chunk is written. */
async function writeFully(handle: nodeFs.promises.FileHandle, buf: Uint8Array): Promise<void> {
  let off = 0;
  while (off < buf.length) off += (await handle.write(buf, off, buf.length - off)).bytesWritten;
}

/**
 * Readers see the old content or the new one, never a mix, even if the process dies: temp file
 * beside the target, written fully, fsync, rename over it, fsync the directory (so the rename
 * itself survives a power cut). A failure before the rename removes the temp file and leaves the
 * target untouched.
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array | Iterable<string | Uint8Array>, options: AtomicWriteOptions & { fs?: AtomicWriteFs } = {}): Promise<void> {
  const fs = options.fs ?? realFs;
  const tmp = tempPath(file);
  let renamed = false;
  try {
    const handle = await fs.open(tmp, 'wx', options.mode ?? 0o600);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) {
        // FileHandle.writeFile loops until every byte is written.
        await handle.writeFile(data);
      } else {
        // Chunks: a file too large for one string (a server snapshot) never needs to be whole in memory.
        for (const chunk of data) await writeFully(handle, typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      }
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
    renamed = true;
  } finally {
    if (!renamed) await fs.unlink(tmp).catch(() => undefined);
  }
  const dir = await fs.open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

/** writeFileAtomic for synchronous callers (CLIs, the DMP sandbox's store): same guarantees. */
export function writeFileAtomicSync(file: string, data: string | Uint8Array, options: AtomicWriteOptions & { fs?: AtomicWriteSyncFs } = {}): void {
  const fs = options.fs ?? realSyncFs;
  const tmp = tempPath(file);
  let renamed = false;
  try {
    const fd = fs.openSync(tmp, 'wx', options.mode ?? 0o600);
    try {
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      // writeSync may write fewer bytes than asked: loop until the whole buffer is on disk.
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    renamed = true;
  } finally {
    if (!renamed) {
      try {
        fs.unlinkSync(tmp);
      } catch {
        /* the temp file may not exist; the original error matters */
      }
    }
  }
  const dirFd = fs.openSync(path.dirname(file), 'r');
  try {
    fs.fsyncSync(dirFd);
  } finally {
    fs.closeSync(dirFd);
  }
}
