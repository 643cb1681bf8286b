import type { Page } from '@playwright/test';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * What bench:record and bench:start share: the Chromium they drive, the bench renderer build,
 * the harness task runner and the generated-record profile cached per machine in .bench-cache/.
 */

export const ROOT = path.resolve(__dirname, '..', '..');
export const CACHE = path.join(ROOT, '.bench-cache');
export const RENDERER = path.join(CACHE, 'renderer');
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** bench:record's port: IndexedDB belongs to the origin, so a cached profile is only reachable on it. */
export const DEFAULT_PORT = 47_831;
export const SEED = 2026;
export const PER_BUNDLE = 500;
/** tsx keeps function names with a __name helper the page does not have. */
export const NAME_SHIM = 'globalThis.__name = globalThis.__name || ((f) => f);';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const round = (n: number, d = 1) => Number(n.toFixed(d));

/** --name V or --name=V, and integer options checked with a French message (exit 2). */
export function cliOptions(args: string[]) {
  function option(name: string): string | undefined {
    const i = args.indexOf(name);
    if (i >= 0) return args[i + 1];
    return args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
  }
  function intOption(name: string, fallback: number, min: number): number {
    const raw = option(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) {
      console.error(`Option ${name} invalide : un entier ≥ ${min} est attendu (reçu « ${raw} »).`);
      process.exit(2);
    }
    return n;
  }
  return { option, intOption, flag: (name: string) => args.includes(name) };
}

export interface BenchStatus {
  task: string;
  phase: string;
  done: number;
  total: number;
  result?: unknown;
  error?: string;
}

/** Starts a harness task and polls it; progress goes to `log`. */
export async function runTask<T>(page: Page, task: string, params: unknown, total: number, log: (msg: string) => void): Promise<T> {
  await page.evaluate(([t, p, n]) => (globalThis as unknown as { recordBench: { start(t: unknown, p: unknown, n: unknown): void } }).recordBench.start(t, p, n), [task, params, total] as const);
  let lastLog = Date.now();
  for (;;) {
    await sleep(500);
    const s = await page.evaluate(() => (globalThis as unknown as { recordBench: { status(): BenchStatus } }).recordBench.status());
    if (s.phase === 'done') return s.result as T;
    if (s.phase === 'failed') throw new Error(`Tâche ${task} en échec : ${s.error}`);
    if (Date.now() - lastLog > 15_000) {
      lastLog = Date.now();
      log(`${task}: ${s.phase} ${s.done.toLocaleString('fr-FR')}/${s.total.toLocaleString('fr-FR')}`);
    }
  }
}

/**
 * Builds the renderer with the bench entries into .bench-cache/renderer. By default from the last
 * commit (git archive), so what is measured is a known revision even while the shared checkout is
 * being edited; fromWorktree builds the files on disk instead. Returns the revision.
 */
export function buildBenchRenderer(fromWorktree: boolean, log: (msg: string) => void): string {
  let src = ROOT;
  let revision = 'worktree';
  if (!fromWorktree) {
    revision = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    src = path.join(CACHE, 'src-snapshot');
    rmSync(src, { recursive: true, force: true });
    mkdirSync(src, { recursive: true });
    const archive = spawnSync('sh', ['-c', `git archive HEAD src | tar -x -C '${src}'`], { cwd: ROOT, encoding: 'utf8' });
    if (archive.status !== 0) throw new Error(`Copie de la révision ${revision} impossible : ${archive.stderr}`);
  }
  log(`construction du renderer et du banc (révision ${revision}) dans .bench-cache/renderer…`);
  const r = spawnSync('npx', ['vite', 'build', '--config', path.join('scripts', 'bench-record', 'vite.config.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', BENCH_RECORD_SRC: src },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`Construction du banc en échec :\n${r.stderr}`);
  return revision;
}

/** The bench renderer, built unless --no-build asks to reuse the last one. */
export function benchRenderer(noBuild: boolean, fromWorktree: boolean, log: (msg: string) => void): string {
  if (!noBuild) return buildBenchRenderer(fromWorktree, log);
  if (!existsSync(path.join(RENDERER, 'bench', 'probes.js'))) throw new Error('Banc non construit : relancez sans --no-build.');
  return 'prebuilt';
}

export interface ProfileSpec {
  patients: number;
  documentsPerPatient: number;
  content: 'text' | 'cda';
  port: number;
}

export interface Manifest extends ProfileSpec {
  seed: number;
  schemaVersion: number;
  seed_: { seconds: number; importSeconds: number; generateSeconds: number; rows: number; rejected: number; perTable: Record<string, number> };
  measuredAt: string;
}

export interface Census {
  patients: number;
  documents: number;
  version: number;
}

/** The Chromium user-data-dir holding the generated record, and its manifest. */
export function profilePaths(spec: ProfileSpec): { dir: string; manifest: string } {
  const name = `record-profile-p${spec.patients}-d${spec.documentsPerPatient}-${spec.content}-s${SEED}`;
  return { dir: path.join(CACHE, name), manifest: path.join(CACHE, `${name}.json`) };
}

/**
 * The cached profile's manifest when it can be reused (same port, not --fresh); otherwise the
 * profile directory is emptied so the record is generated again. The directory exists on return.
 */
export function openProfile(spec: ProfileSpec, fresh: boolean): Manifest | null {
  const paths = profilePaths(spec);
  let manifest: Manifest | null = null;
  if (!fresh && existsSync(paths.manifest)) {
    manifest = JSON.parse(readFileSync(paths.manifest, 'utf8')) as Manifest;
    if (manifest.port !== spec.port) manifest = null;
  }
  if (!manifest) {
    rmSync(paths.dir, { recursive: true, force: true });
    rmSync(paths.manifest, { force: true });
  }
  mkdirSync(paths.dir, { recursive: true });
  return manifest;
}

/** Whether the page's database (bench.html open) holds the whole manifest's record. */
export async function profileComplete(page: Page, spec: ProfileSpec, manifest: Manifest | null, log: (msg: string) => void): Promise<boolean> {
  if (!manifest) return false;
  const c = await runTask<Census>(page, 'census', {}, 0, log);
  const complete = c.patients === spec.patients && c.version === manifest.schemaVersion;
  if (!complete) log(`profil en cache incomplet (${c.patients} patients) : nouvelle génération`);
  return complete;
}

/** Generates the whole population through the app's import path and writes the manifest. */
export async function seedProfile(page: Page, spec: ProfileSpec, log: (msg: string) => void): Promise<Manifest> {
  log(`population complète : ${spec.patients.toLocaleString('fr-FR')} patients, ~${spec.documentsPerPatient} documents chacun (${spec.content})…`);
  const seeded = await runTask<Manifest['seed_']>(page, 'seed', { patients: spec.patients, seed: SEED, perBundle: PER_BUNDLE, documentsPerPatient: spec.documentsPerPatient, content: spec.content, ahead: 2 }, spec.patients, log);
  const c = await runTask<Census>(page, 'census', {}, 0, log);
  if (c.patients !== spec.patients) throw new Error(`Population incomplète : ${c.patients} patients sur ${spec.patients}`);
  const manifest: Manifest = { ...spec, seed: SEED, schemaVersion: c.version, seed_: seeded, measuredAt: new Date().toISOString() };
  writeFileSync(profilePaths(spec).manifest, JSON.stringify(manifest, null, 2));
  return manifest;
}

/** Stops a browser host child process (SIGTERM) and resolves once it has exited. */
export function stopHost(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
