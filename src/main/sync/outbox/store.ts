import { chmodSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write';
import type { OutboxItem, ServerId } from './types';

/**
 * The outbox on disk: one owner-only file per item (`<seq>-<id>.json`), each write atomic (temp file, fsync,
 * rename, fsync of the directory), so a crash leaves every item as it was before or after a change, never torn;
 * and `ids.json`, the server ids learned from pushes, which later items of the same patient refer through.
 */
export interface OutboxStore {
  load(): Promise<{ items: OutboxItem[]; ids: Record<string, ServerId> }>;
  save(item: OutboxItem): Promise<void>;
  remove(item: OutboxItem): Promise<void>;
  saveIds(ids: Record<string, ServerId>): Promise<void>;
}

const ITEM_FILE = /^(\d{12})-([0-9a-f-]{36})\.json$/;

function fileOf(dir: string, item: Pick<OutboxItem, 'seq' | 'id'>): string {
  return path.join(dir, `${String(item.seq).padStart(12, '0')}-${item.id}.json`);
}

export async function openOutboxStore(dir: string): Promise<OutboxStore> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
  const idsFile = path.join(dir, 'ids.json');
  return {
    async load() {
      const items: OutboxItem[] = [];
      for (const name of (await fsp.readdir(dir)).sort()) {
        if (!ITEM_FILE.test(name)) continue;
        items.push(JSON.parse(await fsp.readFile(path.join(dir, name), 'utf8')) as OutboxItem);
      }
      let ids: Record<string, ServerId> = {};
      try {
        ids = JSON.parse(await fsp.readFile(idsFile, 'utf8')) as Record<string, ServerId>;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      return { items, ids };
    },
    save: (item) => writeFileAtomic(fileOf(dir, item), JSON.stringify(item)),
    async remove(item) {
      await fsp.rm(fileOf(dir, item), { force: true });
    },
    saveIds: (ids) => writeFileAtomic(idsFile, JSON.stringify(ids)),
  };
}
