import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { DEMO_ACCOUNTS } from '../src/main/auth/demo';
import { startHospitalTestServer, type HospitalTestServer } from '../src/main/hospital/test-server';
import { freshDataDir } from '../test/support/host';
import { benchRenderer, CACHE, CHROMIUM, CHROMIUM_ARGS, cliOptions, NAME_SHIM, RENDERER, ROOT, round, sleep, stopHost } from './bench-record/shared';

/**
 * npm run bench:sync [-- --json] [--patients N] [--full N] [--samples N] [--no-build] [--worktree] [--fresh-server]
 *
 * A hospital test server with N identities (default 200,000) of which --full (default 5,000) carry their whole
 * clinical record (plus whoever is in care), built once per machine in .bench-cache/ and reloaded from its
 * snapshot after. Then, all against that one server:
 * 1. initialReplicaSeconds: a fresh workstation (browser host process, fresh data dir) and a fresh Chromium:
 *    from launching the host to the renderer's IndexedDB caught up with main's replica (first replica done).
 * 2. ingestRatioToRawIdb: a second fresh Chromium profile on that same workstation ingests the whole replica
 *    from main's change feed (main already holds it, so this is the renderer's ingest alone); then the same
 *    page writes the very same rows with raw IndexedDB puts into a database of the same stores and indexes.
 *    Ratio = raw seconds / ingest seconds (1 = as fast as raw writes).
 * 3. pushToVisibleP95Ms: a second workstation B on the same server; notes written on A through the bridge,
 *    timed until they are in B's IndexedDB.
 * 4. serverSeconds: the time the test server itself spent answering during phases 1 and 3.
 */

const args = process.argv.slice(2);
const { intOption, flag } = cliOptions(args);
const PATIENTS = intOption('--patients', 200_000, 10);
const FULL = intOption('--full', 5_000, 0);
const SAMPLES = intOption('--samples', 20, 3);
const ROLE = 'medecin';
const RECORD_DB = 'dossier-hospitalier';

const log = (msg: string) => process.stderr.write(`[bench:sync] ${msg}\n`);

/** The server's data dir, kept per machine: seeding 200,000 identities is the server's cost, not the workstation's. */
async function openServer(): Promise<{ server: HospitalTestServer; seededSeconds: number | null }> {
  const dir = path.join(CACHE, `hospital-${PATIENTS}-${FULL}`);
  if (flag('--fresh-server')) rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const server = await startHospitalTestServer({ dataDir: dir, seed: { patients: PATIENTS, fullContentPatients: FULL, seed: 2026 } });
  log(server.seeded ? `serveur amorcé : ${JSON.stringify(server.seeded)}` : `serveur rechargé en ${round((performance.now() - started) / 1000)} s`);
  return { server, seededSeconds: server.seeded ? server.seeded.seconds : null };
}

interface HostProcess {
  child: ChildProcess;
  url: string;
  dataDir: string;
}

/** A workstation as npm run start:browser runs it (without its build step), on the bench renderer build. */
async function launchHost(hospitalUrl: string, dataDir: string): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    ['--experimental-websocket', '--import', 'tsx', path.join('src', 'main', 'browser-host', 'cli.ts'), '--data-dir', dataDir, '--port', '0', '--renderer-dir', RENDERER, '--hospital-url', hospitalUrl],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`Hôte navigateur arrêté (code ${code}) : ${err.trim()}`)));
  });
  return { child, url, dataDir };
}

async function freshBrowser(): Promise<{ context: BrowserContext; page: Page; profile: string }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'bench-sync-profile-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
  await context.addInitScript(NAME_SHIM);
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page, profile };
}

async function signIn(page: Page, url: string): Promise<void> {
  const account = DEMO_ACCOUNTS.find((a) => a.role === ROLE)!;
  await page.goto(url, { waitUntil: 'load' });
  await page.getByLabel('Identifiant').fill(account.id);
  await page.getByLabel('Mot de passe').fill(account.password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByLabel('Rechercher un patient').waitFor({ timeout: 120_000 });
}

/** Calls the bridge from the page, as the renderer does (the page's token, POST /bridge/<method>). */
function bridge<T>(page: Page, method: string, input: unknown): Promise<T> {
  return page.evaluate(
    async ([m, i]) => {
      const token = sessionStorage.getItem('workstation-bridge-token') ?? document.querySelector<HTMLMetaElement>('meta[name="workstation-bridge-token"]')?.content ?? '';
      const r = await fetch(`/bridge/${m}`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'x-workstation-token': token }, body: JSON.stringify(i) });
      const body = (await r.json()) as { ok: boolean; value?: unknown; error?: { message: string } };
      if (!body.ok) throw new Error(`${m} : ${body.error?.message}`);
      return body.value;
    },
    [method, input] as const,
  ) as Promise<T>;
}

interface SyncStatusView {
  head: number;
  firstReplica: { done: number; total: number | null; phase: string } | null;
  lastPullAt: string | null;
}

/** The seq the page's cache has applied (Dexie syncState), read straight from IndexedDB. */
function cacheSeq(page: Page): Promise<number> {
  return page.evaluate(
    (dbName) =>
      new Promise<number>((resolve) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => resolve(-1);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('syncState')) {
            db.close();
            return resolve(-1);
          }
          const req = db.transaction('syncState').objectStore('syncState').getAll();
          req.onsuccess = () => {
            db.close();
            const rows = req.result as { seq?: number }[];
            resolve(Math.max(-1, ...rows.map((r) => (typeof r.seq === 'number' ? r.seq : -1))));
          };
          req.onerror = () => {
            db.close();
            resolve(-1);
          };
        };
      }),
    RECORD_DB,
  );
}

/** Waits until main's first replica is done and the page's cache holds main's head; returns when (epoch ms). */
async function waitCaughtUp(page: Page, label: string, timeoutMs: number): Promise<{ at: number; head: number }> {
  const deadline = Date.now() + timeoutMs;
  let lastLog = 0;
  for (;;) {
    const status = await bridge<SyncStatusView>(page, 'sync.status', {});
    const seq = await cacheSeq(page);
    if (status.firstReplica === null && status.lastPullAt !== null && seq >= status.head && status.head > 0) return { at: Date.now(), head: status.head };
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      const fr = status.firstReplica;
      log(`${label} : ${fr ? `${fr.phase} ${fr.done}/${fr.total ?? '?'}` : 'réplique principale faite'} — cache ${seq}/${status.head}`);
    }
    if (Date.now() > deadline) throw new Error(`${label} : réplique non rattrapée en ${timeoutMs / 1000} s`);
    await sleep(250);
  }
}

/** Row counts of the page's record cache (the rows the raw write phase will rewrite). */
function cacheRows(page: Page): Promise<number> {
  return page.evaluate(
    (dbName) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onerror = () => reject(new Error('base illisible'));
        open.onsuccess = () => {
          const db = open.result;
          const stores = Array.from(db.objectStoreNames).filter((n) => n !== 'syncState' && n !== 'outbox' && n !== 'identityLinks');
          const tx = db.transaction(stores);
          let total = 0;
          let left = stores.length;
          for (const s of stores) {
            const r = tx.objectStore(s).count();
            r.onsuccess = () => {
              total += r.result;
              if (--left === 0) {
                db.close();
                resolve(total);
              }
            };
          }
        };
      }),
    RECORD_DB,
  );
}

/**
 * Copies every row of the record cache into a fresh database with the same stores and indexes, with raw
 * IndexedDB puts in transactions of `perTx` rows: the floor the workstation's ingest is compared with.
 * Rows are read first (not timed), then written (timed).
 */
function rawRewrite(page: Page, perTx: number): Promise<{ rows: number; seconds: number }> {
  return page.evaluate(
    async ([dbName, per]) => {
      const req = <T>(r: IDBRequest<T>) => new Promise<T>((res, rej) => ((r.onsuccess = () => res(r.result)), (r.onerror = () => rej(r.error))));
      const src = await req(indexedDB.open(dbName));
      const stores = Array.from(src.objectStoreNames).filter((n) => n !== 'syncState' && n !== 'outbox' && n !== 'identityLinks');
      const shape = stores.map((name) => {
        const os = src.transaction(name).objectStore(name);
        return { name, keyPath: os.keyPath, indexes: Array.from(os.indexNames).map((i) => { const ix = os.index(i); return { name: i, keyPath: ix.keyPath, unique: ix.unique, multiEntry: ix.multiEntry }; }) };
      });
      const data: { store: string; rows: unknown[] }[] = [];
      for (const s of stores) data.push({ store: s, rows: await req(src.transaction(s).objectStore(s).getAll()) });
      src.close();
      const rawName = `raw-bench-${Date.now()}`;
      const open = indexedDB.open(rawName, 1);
      open.onupgradeneeded = () => {
        for (const s of shape) {
          const os = open.result.createObjectStore(s.name, { keyPath: s.keyPath });
          for (const i of s.indexes) os.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
        }
      };
      const dst = await req(open);
      let rows = 0;
      const t0 = performance.now();
      for (const { store, rows: all } of data) {
        for (let i = 0; i < all.length; i += per) {
          const tx = dst.transaction(store, 'readwrite');
          const os = tx.objectStore(store);
          for (const row of all.slice(i, i + per)) os.put(row);
          await new Promise<void>((res, rej) => ((tx.oncomplete = () => res()), (tx.onerror = () => rej(tx.error))));
          rows += Math.min(per, all.length - i);
        }
      }
      const seconds = (performance.now() - t0) / 1000;
      dst.close();
      await req(indexedDB.deleteDatabase(rawName) as unknown as IDBRequest<unknown>).catch(() => undefined);
      return { rows, seconds };
    },
    [RECORD_DB, perTx] as const,
  );
}

function p95(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(0.95 * s.length) - 1)]!;
}

/** A patient both workstations hold in full and the doctor may write for: a current stay in her unit (Cardiologie). */
function pickPatient(page: Page): Promise<string> {
  return page.evaluate(
    (dbName) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open(dbName);
        open.onsuccess = () => {
          const db = open.result;
          const r = db.transaction('stays').objectStore('stays').openCursor();
          r.onsuccess = () => {
            const c = r.result;
            if (!c) return reject(new Error('aucun séjour en cours en Cardiologie dans le cache'));
            const stay = c.value as { patientId: string; end?: string; unit: string };
            if (!stay.end && stay.unit === 'Cardiologie') {
              db.close();
              return resolve(stay.patientId);
            }
            c.continue();
          };
        };
      }),
    RECORD_DB,
  );
}

/** Resolves (epoch ms) when a note with this text is in the page's cache. */
function waitNote(page: Page, text: string, timeoutMs: number): Promise<number> {
  return page.evaluate(
    ([dbName, t, ms]) =>
      new Promise<number>((resolve, reject) => {
        const deadline = Date.now() + ms;
        const poll = () => {
          const open = indexedDB.open(dbName);
          open.onsuccess = () => {
            const db = open.result;
            const r = db.transaction('notes').objectStore('notes').getAll();
            r.onsuccess = () => {
              db.close();
              if ((r.result as { text: string }[]).some((n) => n.text === t)) return resolve(performance.timeOrigin + performance.now());
              if (Date.now() > deadline) return reject(new Error(`note « ${t} » absente après ${ms} ms`));
              setTimeout(poll, 20);
            };
          };
        };
        poll();
      }),
    [RECORD_DB, text, timeoutMs] as const,
  );
}

async function main() {
  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  const revision = benchRenderer(flag('--no-build'), flag('--worktree'), log);
  const { server, seededSeconds } = await openServer();
  const hosts: HostProcess[] = [];
  const browsers: { context: BrowserContext; profile: string }[] = [];
  try {
    // 1. A fresh workstation's first replica, host launch to cache caught up.
    const busy0 = server.stats().busyMs;
    const t0 = Date.now();
    const a = await launchHost(server.url, await freshDataDir('demo'));
    hosts.push(a);
    const bA = await freshBrowser();
    browsers.push(bA);
    await signIn(bA.page, a.url);
    const caught = await waitCaughtUp(bA.page, 'poste A', 900_000);
    const initialReplicaSeconds = (caught.at - t0) / 1000;
    const serverReplicaSeconds = (server.stats().busyMs - busy0) / 1000;
    const rows = await cacheRows(bA.page);
    log(`réplique initiale : ${round(initialReplicaSeconds)} s, ${rows} lignes, seq ${caught.head}`);

    // 2. The renderer's ingest alone (main already holds the replica), then raw writes of the same rows.
    const bA2 = await freshBrowser();
    browsers.push(bA2);
    await signIn(bA2.page, a.url);
    // From the signed-in page (the sync client starts then) to its cache caught up: ingest, not sign-in.
    const i0 = Date.now();
    const ingest = await waitCaughtUp(bA2.page, 'poste A, 2e navigateur', 900_000);
    const ingestSeconds = (ingest.at - i0) / 1000;
    const ingestRows = await cacheRows(bA2.page);
    const raw = await rawRewrite(bA2.page, 5000);
    log(`ingestion ${ingestRows} lignes en ${round(ingestSeconds)} s ; écriture brute ${raw.rows} lignes en ${round(raw.seconds)} s`);
    await bA2.context.close();

    // 3. Push to visible: notes written on A, seen in B's cache.
    const b = await launchHost(server.url, await freshDataDir('demo'));
    hosts.push(b);
    const bB = await freshBrowser();
    browsers.push(bB);
    await signIn(bB.page, b.url);
    await waitCaughtUp(bB.page, 'poste B', 900_000);
    const patientId = await pickPatient(bA.page);
    await bridge(bA.page, 'record.openChart', { patient: { id: patientId } });
    const busy3 = server.stats().busyMs;
    const delays: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const text = `Note de banc ${i} ${Date.now()}`;
      const seen = waitNote(bB.page, text, 60_000);
      const sentAt = await bA.page.evaluate(() => performance.timeOrigin + performance.now());
      await bridge(bA.page, 'record.note.add', { patient: { id: patientId }, text });
      delays.push((await seen) - sentAt);
    }
    const serverPushSeconds = (server.stats().busyMs - busy3) / 1000;

    const result = {
      bench: 'sync',
      revision,
      patients: PATIENTS,
      fullContentPatients: FULL,
      serverSeededThisRun: seededSeconds !== null,
      serverSeedSeconds: seededSeconds === null ? null : round(seededSeconds),
      initialReplicaSeconds: round(initialReplicaSeconds),
      replicaRows: rows,
      replicaHeadSeq: caught.head,
      ingestRows,
      ingestSeconds: round(ingestSeconds, 2),
      rawIdbSeconds: round(raw.seconds, 2),
      ingestRatioToRawIdb: round(raw.seconds / ingestSeconds, 2),
      pushToVisibleP50Ms: Math.round([...delays].sort((x, y) => x - y)[Math.floor(delays.length / 2)]!),
      pushToVisibleP95Ms: Math.round(p95(delays)),
      pushSamples: delays.length,
      serverSeconds: round(serverReplicaSeconds + serverPushSeconds, 2),
      serverReplicaSeconds: round(serverReplicaSeconds, 2),
      targets: { initialReplicaSeconds: 180, ingestRatioToRawIdb: 0.9, pushToVisibleP95Ms: 3000 },
      browser: 'Chromium headless, fresh profile per workstation page',
      host: 'node --import tsx src/main/browser-host/cli.ts --hospital-url <test server> (child process per workstation)',
      cpus: cpus().length,
      loadAvg1mBefore: round(loadBefore, 2),
      loadAvg1m: round(loadavg()[0]!, 2),
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    if (flag('--json')) console.log(JSON.stringify(result));
    else console.log(JSON.stringify(result, null, 2));
  } finally {
    for (const br of browsers) {
      await br.context.close().catch(() => undefined);
      rmSync(br.profile, { recursive: true, force: true });
    }
    for (const h of hosts) {
      await stopHost(h.child);
      if (existsSync(h.dataDir)) rmSync(h.dataDir, { recursive: true, force: true });
    }
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
