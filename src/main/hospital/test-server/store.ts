import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Resource } from '@medplum/fhirtypes';
import { writeFileAtomic } from '../../fs/atomic-write';
import type { Change, HospitalRepository } from './repository';

/**
 * The server's data dir: `snapshot.ndjson` (first line `{"generation":G}`, then one line per resource
 * with all its versions and whether it is deleted) and `log-G.ndjson` (one line per committed request:
 * its changes, fsync'd before the answer). Compaction writes snapshot G+1 atomically, then starts
 * log-(G+1): a crash in between leaves a snapshot that already holds log-G, whose replay is skipped.
 * A torn last log line (a crash mid-append) is dropped and cut off at reopen.
 */
export interface ServerStore {
  /** Loads snapshot and log into the repository; false when the data dir held nothing yet. */
  load(repo: HospitalRepository): Promise<boolean>;
  append(changes: readonly Change[]): Promise<void>;
  /** Writes the whole repository as the new snapshot and starts an empty log. */
  compact(repo: HospitalRepository): Promise<void>;
  logBytes(): number;
  close(): Promise<void>;
}

const SNAPSHOT = 'snapshot.ndjson';
const LINES_PER_CHUNK = 2000;

type StoredChange = { op: 'put'; resource: Resource & { id: string } } | { op: 'delete'; type: string; id: string };

function* snapshotChunks(repo: HospitalRepository, generation: number): Generator<string> {
  yield JSON.stringify({ generation }) + '\n';
  let lines: string[] = [];
  for (const { versions, deleted } of repo.allVersions()) {
    lines.push(JSON.stringify(deleted ? { v: versions, d: 1 } : { v: versions }));
    if (lines.length >= LINES_PER_CHUNK) {
      yield lines.join('\n') + '\n';
      lines = [];
    }
  }
  if (lines.length) yield lines.join('\n') + '\n';
}

/** Lines of a large file, a chunk's worth at a time, split on the bytes (a snapshot is hundreds of MB). */
async function* readLines(file: string): AsyncGenerator<string[]> {
  const handle = await fs.open(file, 'r');
  try {
    let carry = Buffer.alloc(0);
    const chunk = Buffer.allocUnsafe(16 * 1024 * 1024);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      const buf = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const lines: string[] = [];
      let start = 0;
      for (let nl = buf.indexOf(0x0a, start); nl >= 0; nl = buf.indexOf(0x0a, start)) {
        if (nl > start) lines.push(buf.toString('utf8', start, nl));
        start = nl + 1;
      }
      carry = Buffer.from(buf.subarray(start));
      yield lines;
    }
    if (carry.length) yield [carry.toString('utf8')];
  } finally {
    await handle.close();
  }
}

async function exists(file: string): Promise<boolean> {
  return fs.access(file).then(() => true, () => false);
}

function apply(repo: HospitalRepository, change: StoredChange): void {
  if (change.op === 'put') repo.loadVersion(change.resource);
  else repo.loadDelete(change.type, change.id);
}

export async function openServerStore(dataDir: string): Promise<ServerStore> {
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  await fs.chmod(dataDir, 0o700);
  let generation = 0;
  let log: fs.FileHandle | null = null;
  let bytes = 0;
  const logPath = (g: number): string => path.join(dataDir, `log-${g}.ndjson`);

  async function loadSnapshot(repo: HospitalRepository): Promise<boolean> {
    const file = path.join(dataDir, SNAPSHOT);
    if (!(await exists(file))) return false;
    let first = true;
    for await (const lines of readLines(file)) {
      for (const line of lines) {
        const parsed = JSON.parse(line) as { generation?: number; v?: (Resource & { id: string })[]; d?: 1 };
        if (first) {
          generation = parsed.generation ?? 0;
          first = false;
          continue;
        }
        const versions = parsed.v ?? [];
        for (const v of versions) repo.loadVersion(v);
        if (parsed.d && versions.length) repo.loadDelete(versions[0]!.resourceType, versions[0]!.id);
      }
    }
    return true;
  }

  /** Replays the log, returns the byte length of its valid prefix (a torn tail is not part of it). */
  async function replayLog(repo: HospitalRepository): Promise<number> {
    const file = logPath(generation);
    if (!(await exists(file))) return 0;
    const text = await fs.readFile(file, 'utf8');
    let valid = 0;
    let start = 0;
    while (start < text.length) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break; // no newline: the append never finished
      let changes: StoredChange[];
      try {
        changes = (JSON.parse(text.slice(start, nl)) as { c: StoredChange[] }).c;
      } catch {
        break;
      }
      for (const c of changes) apply(repo, c);
      valid += Buffer.byteLength(text.slice(start, nl + 1), 'utf8');
      start = nl + 1;
    }
    return valid;
  }

  async function openLog(validBytes: number): Promise<void> {
    log = await fs.open(logPath(generation), 'a+', 0o600);
    const { size } = await log.stat();
    if (size > validBytes) await log.truncate(validBytes);
    bytes = validBytes;
  }

  async function removeStaleLogs(): Promise<void> {
    for (const name of await fs.readdir(dataDir)) {
      const m = /^log-(\d+)\.ndjson$/.exec(name);
      if (m && Number(m[1]) !== generation) await fs.unlink(path.join(dataDir, name));
    }
  }

  return {
    async load(repo) {
      const hadSnapshot = await loadSnapshot(repo);
      const valid = await replayLog(repo);
      await removeStaleLogs();
      await openLog(valid);
      return hadSnapshot || valid > 0;
    },
    async append(changes) {
      if (!changes.length || !log) return;
      const line = JSON.stringify({ c: changes }) + '\n';
      await log.write(line);
      await log.sync();
      bytes += Buffer.byteLength(line, 'utf8');
    },
    async compact(repo) {
      const next = generation + 1;
      await writeFileAtomic(path.join(dataDir, SNAPSHOT), snapshotChunks(repo, next));
      await log?.close();
      generation = next;
      await removeStaleLogs();
      await openLog(0);
    },
    logBytes: () => bytes,
    async close() {
      await log?.close();
      log = null;
    },
  };
}
