import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { DEMO_ACCOUNTS } from '../src/main/auth/demo';
import { startBrowserHost } from '../src/main/browser-host/server';
import { embeddedTestDmp } from '../src/main/dmp/sandbox/embedded';
import { systemClock } from '../src/main/host/clock';
import { createHost } from '../src/main/host/host';
import { createMemoryLogger } from '../src/main/host/logger';
import { freshDataDir } from '../test/support/host';
import {
  benchRenderer,
  CHROMIUM,
  CHROMIUM_ARGS,
  cliOptions,
  DEFAULT_PORT,
  NAME_SHIM,
  openProfile,
  profileComplete,
  profilePaths,
  RENDERER,
  ROOT,
  round,
  seedProfile,
  stopHost,
  type Manifest,
  type ProfileSpec,
} from './bench-record/shared';

/**
 * npm run bench:start [-- --json] [--patients N] [--runs N] [--query Q] [--host bundle|tsx] [--no-build] [--worktree] [--fresh] [--port P]
 *
 * Cold start on an existing record: the generated profile of bench:record (built once per machine
 * and cached in .bench-cache/, same Chromium user-data-dir) is opened by a fresh browser host
 * process and a fresh Chromium, launched together at t0. The host is src/main/browser-host/cli.ts
 * bundled with its workers as electron-vite bundles the app's main (--host bundle, default), or
 * run through tsx as npm run start:browser does after its build (--host tsx). Each run: t0 → host listening → sign-in page loaded →
 * signed in → record database opened → first search answered (expected rows in the DOM). Then the
 * renderer's memory with the record open. The figures of the median run (by cold start) go out.
 */

const args = process.argv.slice(2);
const { option, intOption, flag } = cliOptions(args);
const PATIENTS = intOption('--patients', 200_000, 100);
const RUNS = intOption('--runs', 3, 1);
const PORT = intOption('--port', DEFAULT_PORT, 1024);
// A common family-name prefix of the generated population: the first search returns rows.
const QUERY = option('--query') ?? 'mar';
const HOST = option('--host') ?? 'bundle';
if (HOST !== 'bundle' && HOST !== 'tsx') {
  console.error('Option --host invalide : « bundle » ou « tsx ».');
  process.exit(2);
}
const DOCS_PER_PATIENT = 10;
const RECORD_DB = 'dossier-hospitalier';
const ROLE = 'medecin';

const log = (msg: string) => process.stderr.write(`[bench:start] ${msg}\n`);

/** Builds the record once per machine (bench:record's profile), or checks the cached one. */
async function ensureProfile(spec: ProfileSpec): Promise<{ manifest: Manifest; built: boolean }> {
  const cached = openProfile(spec, flag('--fresh'));
  const dataDir = await freshDataDir('demo');
  const host = await createHost({ dataDir, mode: 'browser', clock: systemClock, logger: createMemoryLogger(), version: 'bench', workstationName: 'Poste banc', dmp: embeddedTestDmp() });
  const server = await startBrowserHost({ host, rendererDir: RENDERER, port: spec.port });
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profilePaths(spec).dir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    await context.addInitScript(NAME_SHIM);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}bench/bench.html`);
    await page.waitForFunction(() => 'recordBench' in globalThis);
    if (cached && (await profileComplete(page, spec, cached, log))) return { manifest: cached, built: false };
    return { manifest: await seedProfile(page, spec, log), built: true };
  } finally {
    await context?.close();
    await server.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Counts the record database's IndexedDB connections and notes when the first one opened
 * (epoch ms), before any page script runs: Dexie keeps the factory object and calls open on it.
 */
const IDB_PROBE = `(() => {
  const factory = globalThis.indexedDB;
  const open = factory.open.bind(factory);
  const opens = (globalThis.__benchIdbOpens = []);
  factory.open = (name, version) => {
    const req = version === undefined ? open(name) : open(name, version);
    const rec = { name, openedAt: -1 };
    opens.push(rec);
    req.addEventListener('success', () => { rec.openedAt = performance.timeOrigin + performance.now(); });
    return req;
  };
})();`;

// Three levels below the root, as cli.ts finds the root (package.json) from its own directory.
const HOST_BUNDLE = path.join(ROOT, '.bench-cache', 'host', 'bundle');

/** cli.ts and the workers it starts by file name, bundled like electron.vite.config.ts's main. */
function bundleHost() {
  // Flat output (name=entry): the bundle looks for each worker beside itself.
  const workers = ['auth/pki/forge-worker', 'audit/signer-worker', 'audit/verify-worker', 'dmp/dmp-signer-worker'].map((w) => `${path.basename(w)}=${path.join('src', 'main', `${w}.ts`)}`);
  rmSync(HOST_BUNDLE, { recursive: true, force: true });
  const r = spawnSync('npx', ['esbuild', `cli=${path.join('src', 'main', 'browser-host', 'cli.ts')}`, ...workers, '--bundle', '--platform=node', '--format=cjs', '--packages=external', '--log-level=warning', `--outdir=${HOST_BUNDLE}`], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Assemblage de l'hôte en échec :\n${r.stderr}`);
}

/** The browser host serving the bench build, from the bundle or through tsx. */
function launchHost(dataDir: string): { child: ChildProcess; listening: Promise<{ url: string; at: number }> } {
  const entry = HOST === 'bundle' ? [path.join(HOST_BUNDLE, 'cli.js')] : ['--import', 'tsx', path.join('src', 'main', 'browser-host', 'cli.ts')];
  const child = spawn(process.execPath, [...entry, '--data-dir', dataDir, '--port', String(PORT), '--renderer-dir', RENDERER], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const listening = new Promise<{ url: string; at: number }>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ url: m[1]!, at: Date.now() });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`Hôte navigateur arrêté (code ${code}) : ${err.trim()}`)));
  });
  return { child, listening };
}

/** Resident memory of the renderer processes of the Chromium this script launched on `profileDir`. */
function rendererRss(profileDir: string): { count: number; maxMB: number } {
  const procs = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        // Child processes rewrite their title: one space-separated string, not NUL-separated arguments.
        const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        return { pid: Number(pid), ppid, cmd, rssKb: rss ? Number(rss[1]) : 0 };
      } catch {
        return null; // exited meanwhile
      }
    })
    .filter((p) => p !== null);
  const browser = procs.find((p) => p.ppid === process.pid && p.cmd.includes(`--user-data-dir=${profileDir} `));
  if (!browser) return { count: 0, maxMB: NaN };
  const tree = new Set([browser.pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of procs)
      if (tree.has(p.ppid) && !tree.has(p.pid)) {
        tree.add(p.pid);
        grew = true;
      }
  }
  const renderers = procs.filter((p) => tree.has(p.pid) && p.cmd.includes('--type=renderer'));
  return { count: renderers.length, maxMB: Math.max(...renderers.map((p) => p.rssKb / 1024)) };
}

/** Types the query as one input event and resolves (epoch ms) when the list shows rows for it. */
function firstSearch(page: Page): Promise<{ at: number; summary: string }> {
  return page.evaluate(
    (query) =>
      new Promise<{ at: number; summary: string }>((resolve, reject) => {
        const input = document.querySelector<HTMLInputElement>('input[role="combobox"]');
        if (!input) return reject(new Error('Champ « Rechercher un patient » absent'));
        const summary = () => document.querySelector('[data-testid="search-summary"]')?.textContent ?? '';
        const answered = () => /^[1-9]\d*\+? patient\(s\)$/.test(summary()) && !!document.querySelector('[role="listbox"] [role="option"]');
        const observer = new MutationObserver(() => {
          if (!answered()) return;
          const at = performance.timeOrigin + performance.now();
          observer.disconnect();
          clearTimeout(timer);
          resolve({ at, summary: summary() });
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`Recherche « ${query} » sans réponse : ${summary()}`));
        }, 60_000);
        Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!.call(input, query);
        input.dispatchEvent(new Event('input', { bubbles: true }));
      }),
    QUERY,
  );
}

interface Run {
  coldStartMs: number;
  browserLaunchMs: number;
  serverListeningMs: number;
  pageLoadedMs: number;
  signedInMs: number;
  dbOpenedMs: number;
  firstSearchMs: number;
  firstSearchSummary: string;
  recordDbConnections: number;
  rendererHeapMB: number;
  rendererHeapAfterGcMB: number;
  rendererRssMB: number;
  rendererProcesses: number;
}

/** One cold start: fresh host process and fresh Chromium on the cached profile. */
async function coldRun(profileDir: string): Promise<Run> {
  const dataDir = await freshDataDir('demo');
  const account = DEMO_ACCOUNTS.find((a) => a.role === ROLE)!;
  let context: BrowserContext | null = null;
  const t0 = Date.now();
  const host = launchHost(dataDir);
  try {
    const launching = chromium
      .launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'], viewport: { width: 1400, height: 900 } })
      .then((ctx) => ({ ctx, at: Date.now() }));
    const [{ url, at: listeningAt }, launched] = await Promise.all([host.listening, launching]);
    context = launched.ctx;
    const browserLaunchMs = launched.at - t0;
    await context.addInitScript(NAME_SHIM);
    await context.addInitScript(IDB_PROBE);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url, { waitUntil: 'load' });
    await page.getByLabel('Identifiant').waitFor();
    const pageLoadedAt = Date.now();
    await page.getByLabel('Identifiant').fill(account.id);
    await page.getByLabel('Mot de passe').fill(account.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByLabel('Rechercher un patient').waitFor({ timeout: 60_000 });
    const signedInAt = Date.now();
    const search = await firstSearch(page);
    const opens = await page.evaluate((name) => (globalThis as unknown as { __benchIdbOpens: { name: string; openedAt: number }[] }).__benchIdbOpens.filter((o) => o.name === name), RECORD_DB);
    const heap = () => page.evaluate(() => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize / 2 ** 20);
    const rendererHeapMB = await heap();
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const rendererHeapAfterGcMB = await heap();
    const rss = rendererRss(profileDir);
    return {
      coldStartMs: Math.round(search.at - t0),
      browserLaunchMs,
      serverListeningMs: listeningAt - t0,
      pageLoadedMs: pageLoadedAt - t0,
      signedInMs: signedInAt - t0,
      dbOpenedMs: opens[0] && opens[0].openedAt > 0 ? Math.round(opens[0].openedAt - t0) : -1,
      firstSearchMs: Math.round(search.at - t0),
      firstSearchSummary: search.summary,
      recordDbConnections: opens.length,
      rendererHeapMB: round(rendererHeapMB),
      rendererHeapAfterGcMB: round(rendererHeapAfterGcMB),
      rendererRssMB: round(rss.maxMB),
      rendererProcesses: rss.count,
    };
  } finally {
    await context?.close();
    await stopHost(host.child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main() {
  const started = Date.now();
  const loadBefore = loadavg()[0]!;
  const revision = benchRenderer(flag('--no-build'), flag('--worktree'), log);
  const spec: ProfileSpec = { patients: PATIENTS, documentsPerPatient: DOCS_PER_PATIENT, content: 'text', port: PORT };
  if (HOST === 'bundle') bundleHost();
  const { manifest, built } = await ensureProfile(spec);
  const runs: Run[] = [];
  for (let i = 0; i < RUNS; i++) {
    log(`démarrage à froid ${i + 1}/${RUNS}…`);
    runs.push(await coldRun(profilePaths(spec).dir));
  }
  const median = [...runs].sort((a, b) => a.coldStartMs - b.coldStartMs)[Math.floor((runs.length - 1) / 2)]!;
  const result = {
    bench: 'start',
    revision,
    patients: manifest.patients,
    documentsPerPatient: manifest.documentsPerPatient,
    profileBuiltThisRun: built,
    profileSeedSeconds: round(manifest.seed_.seconds),
    profileMeasuredAt: manifest.measuredAt,
    query: QUERY,
    runs: runs.length,
    coldStartRunsMs: runs.map((r) => r.coldStartMs),
    ...median,
    rendererMemoryMB: median.rendererRssMB,
    rendererMemorySource: 'VmRSS of the largest Chromium renderer process (the page) with the record open and the first search shown; rendererHeapMB/rendererHeapAfterGcMB are performance.memory.usedJSHeapSize (--enable-precise-memory-info) before/after a forced GC',
    host: HOST === 'bundle' ? 'node .bench-cache/host/bundle/cli.js (cli.ts bundled with esbuild, as electron-vite bundles main), bench renderer build' : 'node --import tsx src/main/browser-host/cli.ts (start:browser without its build step), bench renderer build',
    browser: 'Chromium headless, persistent profile, launched at t0 together with the host',
    targets: { coldStartMs: 1500, rendererMemoryMB: 250 },
    cpus: cpus().length,
    loadAvg1mBefore: round(loadBefore, 2),
    loadAvg1m: round(loadavg()[0]!, 2),
    totalSeconds: Math.round((Date.now() - started) / 1000),
  };
  if (flag('--json')) console.log(JSON.stringify(result));
  else console.log(JSON.stringify(result, null, 2));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
