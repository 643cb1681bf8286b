import { randomUUID } from 'node:crypto';
import { chmodSync, promises as fsp } from 'node:fs';
import path from 'node:path';
import { ROW_TABLES, type RecordRows } from '../../../shared/record/types';
import { writeFileAtomic } from '../../fs/atomic-write';
import type { CareDelta } from '../care-port';
import { openLogFile, type LogFile } from './log-file';
import { decodeLine, encodeLine, type LogLine } from './codec';

export type RowTable = (typeof ROW_TABLES)[number];
export interface ChangeBatch { seq: number; upserts: RecordRows; deletes?: Partial<Record<RowTable, string[]>> }

/** What main learnt with a batch and keeps to itself: server versions, pull cursors, care relationships. */
export interface BatchMeta {
  /** `<Type>/<id>` → versionId; null forgets it (resource dropped from the replica). */
  versions?: Record<string, string | null>;
  /** Named pull cursors (e.g. `Observation` → last `_lastUpdated` seen); durable with the rows they cover. */
  cursors?: Record<string, string>;
  care?: CareDelta;
  /** Patients whose clinical content the replica holds (in care, or fetched on demand), added or dropped. */
  held?: { add?: string[]; remove?: string[] };
}

export interface ReplicaStore {
  readonly epoch: string;
  head(): number;
  append(batch: Omit<ChangeBatch, 'seq'>, meta?: BatchMeta): Promise<number>;
  read(after: number, maxRows: number): Promise<ChangeBatch[]>;
  get<T extends RowTable>(table: T, id: string): Promise<NonNullable<RecordRows[T]>[number] | undefined>;
  /** The server's versionId of a resource as last received, for `If-Match`. */
  versionOf(type: string, id: string): string | undefined;
  cursor(name: string): string | undefined;
  /** The care index snapshot saved last and the care deltas appended since, to rebuild the index at start. */
  careState(): { snapshot: unknown; tail: CareDelta[] };
  /** Every care fact of the log from its start (rebuilding a care index whose snapshot is unusable). */
  allCareDeltas(): Promise<CareDelta[]>;
  /** Persists versions, cursors and the care index snapshot so the next open replays only what follows. */
  checkpoint(careSnapshot: unknown): Promise<void>;
  /** Patients whose clinical content is held. */
  heldPatients(): ReadonlySet<string>;
  /** Ids of the clinical rows of a patient the replica holds now, by table (for a delete batch). */
  rowsOfPatient(patientId: string): Partial<Record<RowTable, string[]>>;
  close(): Promise<void>;
}

interface StateFile {
  seq: number;
  versions: Record<string, string>;
  cursors: Record<string, string>;
  care: unknown;
  held?: string[];
  byPatient?: Record<string, Partial<Record<RowTable, string[]>>>;
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await fsp.readFile(file, 'utf8')) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

/** Opens (or creates) the replica in `dir`: owner-only, a new epoch when there is nothing to resume from. */
async function openEpoch(dir: string): Promise<string> {
  await fsp.mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(dir, 0o700);
  const meta = await readJson<{ epoch?: unknown }>(path.join(dir, 'replica.json'));
  if (meta && typeof meta.epoch === 'string') return meta.epoch;
  // No identity: whatever lies here cannot be trusted to continue a renderer's cache; start over.
  for (const f of ['log.ndjson', 'log.idx', 'state.json']) await fsp.rm(path.join(dir, f), { force: true });
  const epoch = randomUUID();
  await writeFileAtomic(path.join(dir, 'replica.json'), JSON.stringify({ epoch, createdAt: new Date().toISOString() }) + '\n');
  return epoch;
}

function rowCount(line: LogLine): number {
  let n = 0;
  for (const t of ROW_TABLES) n += (line.upserts[t]?.length ?? 0) + (line.deletes?.[t]?.length ?? 0);
  return n;
}

export async function openReplicaStore(dir: string): Promise<ReplicaStore> {
  const epoch = await openEpoch(dir);
  const log: LogFile = await openLogFile(path.join(dir, 'log.ndjson'), path.join(dir, 'log.idx'), (line, seq) => {
    try {
      return decodeLine(line).seq === seq;
    } catch {
      return false;
    }
  });
  const statePath = path.join(dir, 'state.json');
  let state = await readJson<StateFile>(statePath);
  // A snapshot ahead of the log (log lost, or restored from elsewhere) says nothing about what the log holds.
  if (!state || state.seq > log.count()) state = { seq: 0, versions: {}, cursors: {}, care: undefined };
  const versions = new Map(Object.entries(state.versions));
  const cursors = new Map(Object.entries(state.cursors));
  let careSnapshot = state.care;
  let careTail: CareDelta[] = [];
  const held = new Set(state.held ?? []);
  const byPatient = new Map<string, Map<RowTable, Set<string>>>();
  for (const [pid, tables] of Object.entries(state.byPatient ?? {})) {
    byPatient.set(pid, new Map(Object.entries(tables).map(([t, ids]) => [t as RowTable, new Set(ids)])));
  }
  /** Which patient owns each clinical row: a delete batch for a patient leaving care needs the ids. */
  function trackPatients(line: LogLine): void {
    for (const t of ROW_TABLES) {
      if (t === 'patients') continue;
      for (const row of (line.upserts[t] ?? []) as { id: string; patientId: string }[]) {
        let tables = byPatient.get(row.patientId);
        if (!tables) byPatient.set(row.patientId, (tables = new Map()));
        let ids = tables.get(t);
        if (!ids) tables.set(t, (ids = new Set()));
        ids.add(row.id);
      }
      const deleted = line.deletes?.[t];
      if (deleted?.length) {
        const gone = new Set(deleted);
        for (const tables of byPatient.values()) for (const id of gone) tables.get(t)?.delete(id);
      }
    }
  }

  function applyMeta(meta: BatchMeta | undefined): void {
    if (!meta) return;
    for (const [k, v] of Object.entries(meta.versions ?? {})) if (v === null) versions.delete(k); else versions.set(k, v);
    for (const [k, v] of Object.entries(meta.cursors ?? {})) cursors.set(k, v);
    if (meta.care) careTail.push(meta.care);
    for (const id of meta.held?.add ?? []) held.add(id);
    for (const id of meta.held?.remove ?? []) held.delete(id);
  }
  await forEachLine(log, state.seq + 1, log.count(), (line) => {
    applyMeta(line.meta);
    trackPatients(line);
  });

  // table:id → seq of its latest upsert; built on first get() (a full read) and kept current by appends.
  let latest: Map<string, number> | null = null;
  function track(line: LogLine): void {
    if (!latest) return;
    for (const t of ROW_TABLES) {
      for (const row of line.upserts[t] ?? []) latest.set(`${t}:${row.id}`, line.seq);
      for (const id of line.deletes?.[t] ?? []) latest.delete(`${t}:${id}`);
    }
  }

  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  return {
    epoch,
    head: () => log.count(),
    append(batch, meta) {
      return serial(async () => {
        const line: LogLine = { seq: log.count() + 1, upserts: batch.upserts, ...(batch.deletes ? { deletes: batch.deletes } : {}), ...(meta ? { meta } : {}) };
        const seq = await log.append(encodeLine(line));
        applyMeta(meta);
        trackPatients(line);
        track(line);
        return seq;
      });
    },
    async read(after, maxRows) {
      const out: ChangeBatch[] = [];
      let rows = 0;
      for (let seq = Math.max(0, after) + 1; seq <= log.count() && (out.length === 0 || rows < maxRows); seq++) {
        const [text] = await log.readLines(seq, seq);
        const line = decodeLine(text!);
        rows += rowCount(line);
        out.push({ seq: line.seq, upserts: line.upserts, ...(line.deletes ? { deletes: line.deletes } : {}) });
      }
      return out;
    },
    async get(table, id) {
      if (!latest) {
        latest = new Map();
        await forEachLine(log, 1, log.count(), track);
      }
      const seq = latest.get(`${table}:${id}`);
      if (seq === undefined) return undefined;
      const [text] = await log.readLines(seq, seq);
      const rows = decodeLine(text!).upserts[table] as { id: string }[] | undefined;
      return rows?.find((r) => r.id === id) as NonNullable<RecordRows[typeof table]>[number] | undefined;
    },
    versionOf: (type, id) => versions.get(`${type}/${id}`),
    cursor: (name) => cursors.get(name),
    careState: () => ({ snapshot: careSnapshot, tail: careTail }),
    checkpoint(care) {
      return serial(async () => {
        const seq = log.count();
        const file: StateFile = {
          seq,
          versions: Object.fromEntries(versions),
          cursors: Object.fromEntries(cursors),
          care,
          held: [...held],
          byPatient: Object.fromEntries([...byPatient].map(([pid, tables]) => [pid, Object.fromEntries([...tables].map(([t, ids]) => [t, [...ids]]))])),
        };
        await writeFileAtomic(statePath, JSON.stringify(file));
        careSnapshot = care;
        careTail = [];
      });
    },
    async allCareDeltas() {
      const out: CareDelta[] = [];
      await forEachLine(log, 1, log.count(), (line) => {
        if (line.meta?.care) out.push(line.meta.care);
      });
      return out;
    },
    heldPatients: () => held,
    rowsOfPatient(patientId) {
      const out: Partial<Record<RowTable, string[]>> = {};
      for (const [t, ids] of byPatient.get(patientId) ?? []) if (ids.size) out[t] = [...ids];
      return out;
    },
    close: () => serial(() => log.close()),
  };
}

async function forEachLine(log: LogFile, from: number, to: number, fn: (line: LogLine) => void): Promise<void> {
  // Bounded reads: a few MB of lines at a time, whatever the log's size.
  let seq = from;
  while (seq <= to) {
    let end = seq;
    let bytes = log.lineBytes(seq);
    while (end < to && bytes < 8 * 1024 * 1024) bytes += log.lineBytes(++end);
    for (const text of await log.readLines(seq, end)) fn(decodeLine(text));
    seq = end + 1;
  }
}
