import * as fs from 'node:fs';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeFileAtomicSync, type AtomicWriteFs, type AtomicWriteSyncFs } from '../../../../src/main/fs/atomic-write';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'atomic-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A real file system that logs each step, with the path of every opened descriptor. */
function recordingSyncFs(log: string[], overrides: Partial<AtomicWriteSyncFs> = {}): AtomicWriteSyncFs {
  const paths = new Map<number, string>();
  const name = (p: fs.PathLike): string => (String(p) === dir ? 'DIR' : path.basename(String(p)).endsWith('.tmp') ? 'TMP' : path.basename(String(p)));
  return {
    openSync: ((p: fs.PathLike, flags: string, mode?: number) => {
      const fd = fs.openSync(p, flags, mode);
      paths.set(fd, name(p));
      log.push(`open ${name(p)}`);
      return fd;
    }) as typeof fs.openSync,
    writeSync: overrides.writeSync ?? ((fd, buf, off, len) => fs.writeSync(fd, buf, off, len)),
    fsyncSync: (fd) => {
      log.push(`fsync ${paths.get(fd as number)}`);
      fs.fsyncSync(fd);
    },
    closeSync: (fd) => fs.closeSync(fd),
    renameSync: overrides.renameSync ?? ((a, b) => {
      log.push(`rename ${name(a)} ${name(b)}`);
      fs.renameSync(a, b);
    }),
    unlinkSync: (p) => {
      log.push(`unlink ${name(p)}`);
      fs.unlinkSync(p);
    },
  };
}

describe('writeFileAtomicSync', () => {
  it('writes every byte despite short writes, fsyncs the file, renames, then fsyncs the directory; 0600 by default', () => {
    const file = path.join(dir, 'registry.json');
    const log: string[] = [];
    let calls = 0;
    const shortWrites = recordingSyncFs(log, {
      writeSync: (fd, buf, off, len) => {
        calls++;
        return fs.writeSync(fd, buf, off, Math.min(len, 3));
      },
    });
    writeFileAtomicSync(file, 'données complètes', { fs: shortWrites });
    expect(readFileSync(file, 'utf8')).toBe('données complètes');
    expect(calls).toBe(Math.ceil(Buffer.byteLength('données complètes') / 3));
    expect(log).toEqual(['open TMP', 'fsync TMP', 'rename TMP registry.json', 'open DIR', 'fsync DIR']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['registry.json']);
  });

  it('keeps the old file and removes the temp file when the rename fails', () => {
    const file = path.join(dir, 'registry.json');
    writeFileSync(file, 'old');
    const log: string[] = [];
    const failing = recordingSyncFs(log, {
      renameSync: () => {
        throw Object.assign(new Error('EXDEV: cross-device link'), { code: 'EXDEV' });
      },
    });
    expect(() => writeFileAtomicSync(file, 'new', { fs: failing })).toThrow(/EXDEV/);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['registry.json']);
    expect(log).toEqual(['open TMP', 'fsync TMP', 'unlink TMP']);
  });

  it('honours an explicit mode', () => {
    const file = path.join(dir, 'manifest.json');
    writeFileAtomicSync(file, Buffer.from('{}'), { mode: 0o644 });
    expect(statSync(file).mode & 0o777).toBe(0o644);
  });
});

describe('writeFileAtomic', () => {
  it('fsyncs the directory after the rename', async () => {
    const file = path.join(dir, 'users.json');
    const log: string[] = [];
    const recording: AtomicWriteFs = {
      open: (async (p: fs.PathLike, flags?: string, mode?: number) => {
        const handle = await fs.promises.open(p, flags, mode);
        const label = String(p) === dir ? 'DIR' : 'TMP';
        log.push(`open ${label}`);
        return Object.assign(Object.create(handle) as typeof handle, {
          writeFile: (d: string | Uint8Array) => handle.writeFile(d),
          sync: async () => {
            log.push(`sync ${label}`);
            await handle.sync();
          },
          close: () => handle.close(),
        });
      }) as typeof fs.promises.open,
      rename: async (a, b) => {
        log.push('rename');
        await fs.promises.rename(a, b);
      },
      unlink: fs.promises.unlink,
    };
    await writeFileAtomic(file, 'contenu', { fs: recording });
    expect(readFileSync(file, 'utf8')).toBe('contenu');
    expect(log).toEqual(['open TMP', 'sync TMP', 'rename', 'open DIR', 'sync DIR']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('leaves no temp file and the old content when the write fails midway', async () => {
    const file = path.join(dir, 'users.json');
    writeFileSync(file, 'old');
    const failing: AtomicWriteFs = {
      open: (async (...args: Parameters<typeof fs.promises.open>) => {
        const handle = await fs.promises.open(...args);
        return Object.assign(Object.create(handle) as typeof handle, {
          writeFile: async (d: string | Uint8Array) => {
            await handle.write(Buffer.from(d).subarray(0, 2));
            throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
          },
          close: () => handle.close(),
        });
      }) as typeof fs.promises.open,
      rename: fs.promises.rename,
      unlink: fs.promises.unlink,
    };
    await expect(writeFileAtomic(file, 'new content', { fs: failing })).rejects.toThrow(/ENOSPC/);
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['users.json']);
  });
});
