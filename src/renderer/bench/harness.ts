import type { FhirBundle, SeedOptions } from '../../shared/seed';
import { createRng } from '../../shared/seed/prng';
import { createRecordDb, DEFAULT_RECORD_DB_NAME, type RecordDb } from '../src/db/database';
import { chunkRows, importBatch, rawImportBatch } from '../src/db/import/batch';
import { importFhirBundle } from '../src/db/import/bundle';
import { rawSearchPatients } from '../src/db/search';
import { ROW_TABLES, type PatientRow, type RecordRows } from '../src/db/types';

/**
 * In-page side of `npm run bench:record` (never part of the app build). Tasks run in the
 * background and the Node driver polls `status()`, so a 10-minute seed needs no long evaluate.
 * Every timing is taken here with performance.now(), not across the Playwright connection.
 */

type Generated = { bundle: FhirBundle; count: number; generateMs: number };

/** Bundles from the seed worker; `ahead` bundles are generated while the caller imports. */
class BundleSource {
  private worker: Worker;
  private ready: (Generated | null)[] = [];
  private waiting: ((g: Generated | null) => void) | null = null;
  private outstanding = 0;
  private finished = false;
  private failure: unknown = null;

  constructor(total: number, options: SeedOptions & { perBundle: number }, private ahead: number) {
    this.worker = new Worker(new URL('./seed-worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<{ type: 'done' } | ({ type: 'bundle' } & Generated)>) => {
      this.outstanding--;
      const item = e.data.type === 'done' ? null : { bundle: e.data.bundle, count: e.data.count, generateMs: e.data.generateMs };
      if (!item) this.finished = true;
      if (this.waiting) {
        const w = this.waiting;
        this.waiting = null;
        w(item);
      } else this.ready.push(item);
    };
    this.worker.onerror = (e) => {
      this.failure = new Error(`Générateur en échec : ${e.message}`);
      this.waiting?.(null);
    };
    this.worker.postMessage({ type: 'init', total, options });
  }

  private request() {
    this.outstanding++;
    this.worker.postMessage({ type: 'next' });
  }

  async take(): Promise<Generated | null> {
    if (this.failure) throw this.failure;
    let item: Generated | null;
    if (this.ready.length) item = this.ready.shift()!;
    else {
      if (this.outstanding === 0 && !this.finished) this.request();
      item = await new Promise<Generated | null>((resolve) => (this.waiting = resolve));
    }
    if (this.failure) throw this.failure;
    while (!this.finished && item && this.outstanding + this.ready.length < this.ahead) this.request();
    return item;
  }

  close() {
    this.worker.terminate();
  }
}

interface Progress {
  task: string;
  phase: string;
  done: number;
  total: number;
  result?: unknown;
  error?: string;
}

let progress: Progress = { task: 'none', phase: 'idle', done: 0, total: 0 };

async function freshDb(name: string): Promise<RecordDb> {
  await createRecordDb(name).delete();
  const db = createRecordDb(name);
  await db.open();
  return db;
}

const sumRows = (imported: Record<string, number>) => Object.values(imported).reduce((a, b) => a + b, 0);

export interface ImportSampleParams {
  patients: number;
  seed: number;
  perBundle: number;
  documentsPerPatient: number;
  content: 'cda' | 'text';
  /** Patients read back per raw/batch page; their rows go out in chunks of rawChunkRows. */
  pagePatients: number;
  rawChunkRows: number;
  /** Also time the app's bulk writer (importBatch) on the same rows: tells Dexie's share apart. */
  withBatch: boolean;
  /** Raw/batch transactions queued at once (the app's importer keeps one in flight while mapping). */
  rawInFlight: number;
}

/** Writes rows in transactions of rawChunkRows, keeping up to rawInFlight of them queued. */
async function pipelined(rows: RecordRows, p: ImportSampleParams, write: (c: RecordRows) => Promise<number>): Promise<number> {
  let written = 0;
  const inFlight: Promise<number>[] = [];
  for (const c of chunkRows(rows, p.rawChunkRows)) {
    if (inFlight.length >= p.rawInFlight) written += await inFlight.shift()!;
    inFlight.push(write(c));
  }
  for (const f of inFlight) written += await f;
  return written;
}

/**
 * The 20,000-patient sample three ways, each on its own empty database with the app's schema:
 * the app's FHIR import path (validate, map, write), then the very same rows written with the
 * raw IndexedDB API and with the app's bulk writer (importBatch), page by page.
 */
async function importSample(p: ImportSampleParams) {
  const app = await freshDb('bench-import-app');
  const source = new BundleSource(p.patients, { seed: p.seed, perBundle: p.perBundle, documentsPerPatient: p.documentsPerPatient, content: p.content }, 0);
  let appMs = 0;
  let appRows = 0;
  let generateMs = 0;
  let patients = 0;
  let rejected = 0;
  const perTable: Record<string, number> = {};
  try {
    progress.phase = 'app';
    for (let g = await source.take(); g; g = await source.take()) {
      generateMs += g.generateMs;
      const t = performance.now();
      const r = await importFhirBundle(app, g.bundle);
      appMs += performance.now() - t;
      appRows += sumRows(r.imported);
      patients += r.patients;
      rejected += r.rejected.length;
      for (const [k, v] of Object.entries(r.imported)) perTable[k] = (perTable[k] ?? 0) + v;
      progress.done += g.count;
    }
  } finally {
    source.close();
  }

  const raw = await freshDb('bench-import-raw');
  const batch = await freshDb('bench-import-batch');
  const idb = raw.backendDB();
  let rawMs = 0;
  let rawRows = 0;
  let batchMs = 0;
  let batchRows = 0;
  let last = '';
  let page = 0;
  progress.phase = 'raw+batch';
  progress.done = 0;
  for (;;) {
    const pats: PatientRow[] = await app.patients.where(':id').above(last).limit(p.pagePatients).toArray();
    if (pats.length === 0) break;
    last = pats[pats.length - 1]!.id;
    const ids = pats.map((x) => x.id);
    const rows: RecordRows = { patients: pats };
    for (const t of ROW_TABLES) {
      if (t !== 'patients') (rows as Record<string, unknown[]>)[t] = await app.table(t).where('patientId').anyOf(ids).toArray();
    }
    // Alternate which writer goes first so neither always meets a freshly flushed disk.
    const runRaw = async () => {
      const t = performance.now();
      rawRows += await pipelined(rows, p, (c) => rawImportBatch(idb, c));
      rawMs += performance.now() - t;
    };
    const runBatch = async () => {
      const t = performance.now();
      batchRows += await pipelined(rows, p, (c) => importBatch(batch, c));
      batchMs += performance.now() - t;
    };
    if (!p.withBatch) await runRaw();
    else if (page++ % 2) {
      await runRaw();
      await runBatch();
    } else {
      await runBatch();
      await runRaw();
    }
    progress.done += pats.length;
  }
  app.close();
  raw.close();
  batch.close();
  progress.phase = 'cleanup';
  await Promise.all(['bench-import-app', 'bench-import-raw', 'bench-import-batch'].map((n) => createRecordDb(n).delete()));
  return {
    patients,
    rejected,
    perTable,
    generateSeconds: generateMs / 1000,
    app: { rows: appRows, ms: appMs, rowsPerSec: appRows / (appMs / 1000) },
    raw: { rows: rawRows, ms: rawMs, rowsPerSec: rawRows / (rawMs / 1000) },
    batch: p.withBatch ? { rows: batchRows, ms: batchMs, rowsPerSec: batchRows / (batchMs / 1000) } : null,
  };
}

export interface SeedParams {
  patients: number;
  seed: number;
  perBundle: number;
  documentsPerPatient: number;
  content: 'cda' | 'text';
  /** Bundles generated ahead (in the worker) while the page imports. */
  ahead: number;
}

/** The whole population into the app's own database through importFhirBundle. */
async function seed(p: SeedParams) {
  const db = await freshDb(DEFAULT_RECORD_DB_NAME);
  const source = new BundleSource(p.patients, { seed: p.seed, perBundle: p.perBundle, documentsPerPatient: p.documentsPerPatient, content: p.content }, p.ahead);
  const start = performance.now();
  let importMs = 0;
  let generateMs = 0;
  let rows = 0;
  let rejected = 0;
  const perTable: Record<string, number> = {};
  progress.phase = 'seed';
  try {
    for (let g = await source.take(); g; g = await source.take()) {
      generateMs += g.generateMs;
      const t = performance.now();
      const r = await importFhirBundle(db, g.bundle);
      importMs += performance.now() - t;
      rows += sumRows(r.imported);
      rejected += r.rejected.length;
      for (const [k, v] of Object.entries(r.imported)) perTable[k] = (perTable[k] ?? 0) + v;
      progress.done += g.count;
    }
  } finally {
    source.close();
  }
  const wallMs = performance.now() - start;
  db.close();
  return { seconds: wallMs / 1000, importSeconds: importMs / 1000, generateSeconds: generateMs / 1000, rows, rejected, perTable };
}

/** What the cached profile holds (checked before reusing it). */
async function census() {
  const db = createRecordDb();
  await db.open();
  const [patients, documents] = await Promise.all([db.patients.count(), db.documents.count()]);
  const version = db.verno;
  db.close();
  return { patients, documents, version };
}

export interface PrepareParams {
  patients: number;
  searches: number;
  charts: number;
  /** A unit of the benchmark user: charts outside it would need break-glass. */
  unit: string;
  limit: number;
  seed: number;
}

const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/**
 * Picks distinct 2-4 letter prefixes of real name tokens and times the same lookups with the
 * raw IndexedDB API (rawSearchPatients) on the seeded database; picks patients of `unit` for
 * chart openings with their document counts (what the chart must show).
 */
async function prepare(p: PrepareParams) {
  const db = createRecordDb();
  await db.open();
  const idb = db.backendDB();
  const rng = createRng(p.seed);
  // The seed's row ids follow its IPPs (100000001 + index).
  const idOf = (i: number) => `pat-${100_000_001 + i}`;
  // Prefixes of the names of random patients (popular names come up more often, as at a desk),
  // each typed with its own letter case: the app folds case, but React Query keys on the text,
  // so no search is answered from the previous one's cache.
  const prefixes: string[] = [];
  const typed = new Set<string>();
  for (let round = 0; prefixes.length < p.searches && round < 50; round++) {
    const ids = Array.from({ length: 500 }, () => idOf(rng.int(0, p.patients - 1)));
    for (const row of await db.patients.bulkGet(ids)) {
      if (!row || prefixes.length >= p.searches) continue;
      const token = rng.pick(row.tokens.filter((t) => /^[a-z]{2,}$/.test(t)).concat(['']));
      if (token.length < 2) continue;
      const prefix = token.slice(0, rng.int(2, Math.min(4, token.length)));
      let text = '';
      for (let tries = 0; tries < 40 && (!text || typed.has(text)); tries++) {
        text = [...prefix].map((c) => (rng.chance(0.5) ? c.toUpperCase() : c)).join('') + ' '.repeat(Math.floor(tries / 20));
      }
      if (typed.has(text)) continue;
      typed.add(text);
      prefixes.push(text);
    }
  }
  progress.phase = 'raw search';
  progress.total = prefixes.length;
  const searches: { prefix: string; count: number; firstId: string | undefined; rawMs: number }[] = [];
  for (const prefix of prefixes) {
    const t = performance.now();
    const rows = await rawSearchPatients(idb, prefix, p.limit);
    const rawMs = performance.now() - t;
    searches.push({ prefix, count: rows.length, firstId: rows[0]?.id, rawMs });
    progress.done++;
  }
  const rawSorted = searches.map((s) => s.rawMs).sort((a, b) => a - b);

  progress.phase = 'chart picks';
  const charts: { id: string; ipp: string; documents: number }[] = [];
  const taken = new Set<string>();
  for (let round = 0; charts.length < p.charts && round < 50; round++) {
    const ids = Array.from({ length: 200 }, () => idOf(rng.int(0, p.patients - 1)));
    for (const row of await db.patients.bulkGet(ids)) {
      if (!row || charts.length >= p.charts || taken.has(row.id) || !row.units.includes(p.unit)) continue;
      taken.add(row.id);
      charts.push({ id: row.id, ipp: row.ipp, documents: await db.documents.where('patientId').equals(row.id).count() });
    }
  }
  db.close();
  return {
    searches,
    charts,
    rawSearchP50Ms: percentile(rawSorted, 0.5),
    rawSearchP95Ms: percentile(rawSorted, 0.95),
  };
}

const TASKS = { importSample, seed, census, prepare } as const;
type TaskName = keyof typeof TASKS;

function start(task: TaskName, params: unknown, total = 0): void {
  if (progress.phase !== 'idle' && progress.phase !== 'done' && progress.phase !== 'failed') {
    throw new Error(`Tâche ${progress.task} déjà en cours`);
  }
  progress = { task, phase: 'starting', done: 0, total };
  const run = TASKS[task] as (p: unknown) => Promise<unknown>;
  run(params).then(
    (result) => {
      progress.result = result;
      progress.phase = 'done';
    },
    (err: unknown) => {
      progress.error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      progress.phase = 'failed';
    },
  );
}

function status(): Progress {
  return progress;
}

(globalThis as unknown as { recordBench: unknown }).recordBench = { start, status };
document.getElementById('bench-status')!.textContent = 'Banc chargé.';
