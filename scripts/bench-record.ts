import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
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
  PER_BUNDLE,
  profileComplete,
  profilePaths,
  RENDERER,
  ROOT,
  round,
  runTask as runHarnessTask,
  SEED,
  seedProfile,
  type Census,
  type ProfileSpec,
} from './bench-record/shared';

/**
 * npm run bench:record [-- --json] [--patients N] [--sample N] [--searches N] [--charts N]
 *                      [--content text|cda] [--docs-per-patient N] [--fresh] [--no-build] [--port P]
 *                      [--with-batch] [--no-sample] [--worktree]
 *
 * Chromium (Debian, headless) on the browser host, real IndexedDB:
 * 1. the import sample (default 20,000 patients) through the app's FHIR import path, then the
 *    same rows with the raw IndexedDB API and with the app's bulk writer, on empty databases;
 * 2. the whole population (default 200,000 patients, ~10 documents each) through the app's
 *    import path into the app's database — skipped when the cached profile already holds it;
 * 3. 1,000 distinct 2-4 letter name prefixes typed into the app's search box (input event to
 *    expected rows in the DOM, then painted), and the same lookups with the raw API;
 * 4. chart openings: click on a result row to banner + documents painted.
 * All timings are taken in the page (performance.now, MutationObserver, requestAnimationFrame).
 */

const BENCH_ROLE = 'medecin';

const args = process.argv.slice(2);
const json = args.includes('--json');
const { option, intOption } = cliOptions(args);
const PATIENTS = intOption('--patients', 200_000, 100);
const SAMPLE = Math.min(PATIENTS, intOption('--sample', 20_000, 100));
const SEARCHES = intOption('--searches', 1000, 1);
const CHARTS = intOption('--charts', 100, 1);
const DOCS_PER_PATIENT = intOption('--docs-per-patient', 10, 1);
const PORT = intOption('--port', DEFAULT_PORT, 1024);
const CONTENT = (option('--content') ?? 'text') as 'text' | 'cda';
if (CONTENT !== 'text' && CONTENT !== 'cda') {
  console.error('Option --content invalide : « text » ou « cda ».');
  process.exit(2);
}
/** The app's search screen asks for 200 rows. */
// Must match the rows PatientSearch asks for: the probe waits for the same count and first row.
const SEARCH_LIMIT = 50;

const log = (msg: string) => process.stderr.write(`[bench:record] ${msg}\n`);
const runTask = <T>(page: Page, task: string, params: unknown, total: number) => runHarnessTask<T>(page, task, params, total, log);

function percentile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
async function main() {
  const started = Date.now();
  const revision = benchRenderer(args.includes('--no-build'), args.includes('--worktree'), log);
  const spec: ProfileSpec = { patients: PATIENTS, documentsPerPatient: DOCS_PER_PATIENT, content: CONTENT, port: PORT };
  const profileDir = profilePaths(spec).dir;
  let manifest = openProfile(spec, args.includes('--fresh'));

  const dataDir = await freshDataDir('demo');
  const host = await createHost({ dataDir, mode: 'browser', clock: systemClock, logger: createMemoryLogger(), version: 'bench', workstationName: 'Poste banc', dmp: embeddedTestDmp() });
  const server = await startBrowserHost({ host, rendererDir: RENDERER, port: PORT });
  let context: BrowserContext | null = null;
  try {
    context = await chromium.launchPersistentContext(profileDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, viewport: { width: 1400, height: 900 } });
    await context.addInitScript(NAME_SHIM);
    const page = context.pages()[0] ?? (await context.newPage());
    const browserVersion = context.browser()?.version() ?? spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' }).stdout.trim();
    await page.goto(`${server.url}bench/bench.html`);
    await page.waitForFunction(() => 'recordBench' in globalThis);

    const cachedProfile = await profileComplete(page, spec, manifest, log);

    type Sample = {
      patients: number;
      rejected: number;
      perTable: Record<string, number>;
      generateSeconds: number;
      app: { rows: number; ms: number; rowsPerSec: number };
      raw: { rows: number; ms: number; rowsPerSec: number };
      batch: { rows: number; ms: number; rowsPerSec: number } | null;
    };
    let sample: Sample | null = null;
    if (!args.includes('--no-sample')) {
      log(`échantillon d'import : ${SAMPLE.toLocaleString('fr-FR')} patients (chemin de l'application, puis API IndexedDB brute)…`);
      sample = await runTask<Sample>(page, 'importSample', { patients: SAMPLE, seed: SEED + 1, perBundle: PER_BUNDLE, documentsPerPatient: DOCS_PER_PATIENT, content: CONTENT, pagePatients: 200, rawChunkRows: 2000, rawInFlight: 2, withBatch: args.includes('--with-batch') }, SAMPLE);
      if (sample.app.rows !== sample.raw.rows) throw new Error(`Échantillon incohérent : ${sample.app.rows} lignes importées, ${sample.raw.rows} réécrites`);
      log(`échantillon : application ${Math.round(sample.app.rowsPerSec)} lignes/s, API brute ${Math.round(sample.raw.rowsPerSec)} lignes/s${sample.batch ? `, importBatch ${Math.round(sample.batch.rowsPerSec)} lignes/s` : ''} (${sample.app.rows} lignes)`);
    }

    if (!cachedProfile) manifest = await seedProfile(page, spec, log);
    const census = await runTask<Census>(page, 'census', {}, 0);

    log(`recherches : ${SEARCHES} préfixes, d'abord avec l'API brute…`);
    const prep = await runTask<{
      searches: { prefix: string; count: number; firstId: string | undefined; rawMs: number }[];
      charts: { id: string; ipp: string; documents: number }[];
      rawSearchP50Ms: number;
      rawSearchP95Ms: number;
    }>(page, 'prepare', { patients: PATIENTS, searches: SEARCHES, charts: CHARTS, unit: DEMO_ACCOUNTS.find((a) => a.role === BENCH_ROLE)!.units[0], limit: SEARCH_LIMIT, seed: SEED + 2 }, SEARCHES);

    // The app itself, signed in as a person would be.
    const account = DEMO_ACCOUNTS.find((a) => a.role === BENCH_ROLE)!;
    await page.goto(server.url);
    await page.getByLabel('Identifiant').fill(account.id);
    await page.getByLabel('Mot de passe').fill(account.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByLabel('Rechercher un patient').waitFor({ timeout: 60_000 });
    await page.addScriptTag({ url: `${server.url}bench/probes.js`, type: 'module' });
    await page.waitForFunction(() => 'recordProbes' in globalThis);

    type Timing = { dom: number; paint: number; banner?: number; error?: string };
    log('recherches dans l’application…');
    const searchTimings: Timing[] = [];
    for (let i = 0; i < prep.searches.length; i += 100) {
      const part = prep.searches.slice(i, i + 100).map(({ prefix, count, firstId }) => ({ prefix, count, firstId }));
      searchTimings.push(...(await page.evaluate((items) => (globalThis as unknown as { recordProbes: { search(i: unknown): Promise<Timing[]> } }).recordProbes.search(items), part)));
    }
    log('ouvertures de dossiers…');
    const chartTimings: Timing[] = [];
    for (let i = 0; i < prep.charts.length; i += 25) {
      const part = prep.charts.slice(i, i + 25);
      chartTimings.push(...(await page.evaluate((items) => (globalThis as unknown as { recordProbes: { chart(i: unknown): Promise<Timing[]> } }).recordProbes.chart(items), part)));
    }

    const okSearch = searchTimings.filter((t) => t.dom >= 0);
    const okChart = chartTimings.filter((t) => t.dom >= 0);
    const seed = manifest!.seed_;
    const result = {
      bench: 'record',
      revision,
      browser: `Chromium ${browserVersion} headless, persistent profile`,
      patients: census.patients,
      documents: census.documents,
      documentsPerPatient: DOCS_PER_PATIENT,
      documentContent: CONTENT === 'text' ? 'plain text (~250 B per document)' : 'short CDA R2 (~1.7 KB per document)',
      cachedProfile,
      cacheDir: path.relative(ROOT, profileDir),
      importSamplePatients: sample?.patients ?? null,
      importSampleRows: sample?.app.rows ?? null,
      importRecordsPerSec: sample ? Math.round(sample.app.rowsPerSec) : null,
      rawImportRecordsPerSec: sample ? Math.round(sample.raw.rowsPerSec) : null,
      importVsRaw: sample ? round(sample.app.rowsPerSec / sample.raw.rowsPerSec, 3) : null,
      batchImportRecordsPerSec: sample?.batch ? Math.round(sample.batch.rowsPerSec) : null,
      importPath: 'importFhirBundle (zod validation + mapping + Dexie bulkPut), bundle generation excluded',
      seedSeconds: round(seed.seconds),
      seedImportSeconds: round(seed.importSeconds),
      seedGenerateSeconds: round(seed.generateSeconds),
      seedRows: seed.rows,
      seedRejected: seed.rejected,
      seedMeasuredAt: manifest!.measuredAt,
      seedFromCache: cachedProfile,
      searches: prep.searches.length,
      searchPrefixes: 'name-token prefixes (2-4 letters) of random patients, drawn with replacement, each typed in its own letter case (no React Query cache hit), one input event into a list cleared by a no-match query',
      searchP50Ms: round(percentile(okSearch.map((t) => t.dom), 0.5)),
      searchP95Ms: round(percentile(okSearch.map((t) => t.dom), 0.95)),
      searchPaintP50Ms: round(percentile(okSearch.map((t) => t.paint), 0.5)),
      searchPaintP95Ms: round(percentile(okSearch.map((t) => t.paint), 0.95)),
      searchTimeouts: searchTimings.length - okSearch.length,
      rawSearchP50Ms: round(prep.rawSearchP50Ms, 2),
      rawSearchP95Ms: round(prep.rawSearchP95Ms, 2),
      charts: prep.charts.length,
      chartOpenP50Ms: round(percentile(okChart.map((t) => t.paint), 0.5)),
      chartOpenP95Ms: round(percentile(okChart.map((t) => t.paint), 0.95)),
      chartOpenDomP95Ms: round(percentile(okChart.map((t) => t.dom), 0.95)),
      chartGateP50Ms: round(percentile(okChart.map((t) => t.banner ?? NaN), 0.5)),
      chartGateP95Ms: round(percentile(okChart.map((t) => t.banner ?? NaN), 0.95)),
      chartFailures: chartTimings.length - okChart.length,
      targets: { importVsRaw: 0.9, seedSeconds: 300, searchP95Ms: 16, chartOpenP95Ms: 100 },
      cpus: cpus().length,
      loadAvg1m: round(loadavg()[0]!, 2),
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    if (json) console.log(JSON.stringify(result));
    else printSummary(result, sample?.perTable ?? null);
  } finally {
    await context?.close();
    await server.close();
    await host.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function printSummary(r: Record<string, unknown>, perTable: Record<string, number> | null) {
  const ok = (v: number, target: number, lower = true) => (lower ? v <= target : v >= target) ? 'OK' : 'MANQUÉ';
  const n = (k: string) => r[k] as number;
  console.log(`Dossier hospitalier — ${n('patients').toLocaleString('fr-FR')} patients, ${n('documents').toLocaleString('fr-FR')} documents (${String(r.documentContent)}), profil ${r.cachedProfile ? 'en cache' : 'généré'}`);
  if (!perTable) console.log('Import : échantillon non mesuré (--no-sample)');
  else {
    console.log(`Import (échantillon ${n('importSamplePatients').toLocaleString('fr-FR')} patients, ${n('importSampleRows').toLocaleString('fr-FR')} lignes : ${JSON.stringify(perTable)})`);
    console.log(`  application ${n('importRecordsPerSec')} lignes/s, API brute ${n('rawImportRecordsPerSec')} lignes/s${r.batchImportRecordsPerSec ? `, importBatch ${n('batchImportRecordsPerSec')} lignes/s` : ''} → ratio ${n('importVsRaw')} (cible ≥ 0,9 : ${ok(n('importVsRaw'), 0.9, false)})`);
  }
  console.log(`Population complète : ${n('seedSeconds')} s (import ${n('seedImportSeconds')} s, génération en worker ${n('seedGenerateSeconds')} s${r.seedFromCache ? `, mesuré le ${String(r.seedMeasuredAt)}` : ''}) (cible ≤ 300 s : ${ok(n('seedSeconds'), 300)})`);
  console.log(`Recherche (${n('searches')} préfixes) : p50 ${n('searchP50Ms')} ms, p95 ${n('searchP95Ms')} ms jusqu'au DOM (peint : p95 ${n('searchPaintP95Ms')} ms), API brute p95 ${n('rawSearchP95Ms')} ms, ${n('searchTimeouts')} hors délai (cible p95 ≤ 16 ms : ${ok(n('searchP95Ms'), 16)})`);
  console.log(`Ouverture du dossier (${n('charts')}) : p50 ${n('chartOpenP50Ms')} ms, p95 ${n('chartOpenP95Ms')} ms peint (bannière après accord de main : p95 ${n('chartGateP95Ms')} ms), ${n('chartFailures')} échec(s) (cible ≤ 100 ms : ${ok(n('chartOpenP95Ms'), 100)})`);
  console.log(`Machine : ${n('cpus')} cœurs, charge ${n('loadAvg1m')} ; durée ${n('totalSeconds')} s`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
