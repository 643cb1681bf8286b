import { promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import path from 'node:path';

/** The file operations used by writeFileAtomic; tests replace one to simulate a crash midway. */
export interface AtomicWriteFs {
  open: typeof fsp.open;
  rename: typeof fsp.rename;
  unlink: typeof fsp.unlink;
}

const realFs: AtomicWriteFs = { open: fsp.open, rename: fsp.rename, unlink: fsp.unlink };

/**
 * Readers see the old content or the new one, never a mix, even if the process
 * dies: temp file beside the target, fsync, rename over it, fsync the directory.
 * A failure before the rename removes the temp file and leaves the target untouched.
 */
export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: { mode?: number; fs?: AtomicWriteFs } = {},
): Promise<void> {
  const fs = options.fs ?? realFs;
  const mode = options.mode ?? 0o600;
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let renamed = false;
  try {
    const handle = await fs.open(tmp, 'wx', mode);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, file);
    renamed = true;
  } finally {
    if (!renamed) await fs.unlink(tmp).catch(() => undefined);
  }
  const dirHandle = await fsp.open(dir, 'r');
  try {
    await dirHandle.sync();
  } finally {
    await dirHandle.close();
  }
}
