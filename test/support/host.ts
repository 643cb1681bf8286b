import { cpSync, existsSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initDemo } from '../../src/main/auth/demo';
import { initPki } from '../../src/main/auth/pki/pki';
import { embeddedTestDmp } from '../../src/main/dmp/sandbox/embedded';
import { createMemoryAuditPort } from '../../src/main/host/audit-port';
import { createTestClock, type Clock } from '../../src/main/host/clock';
import type { HostConfig } from '../../src/main/host/config';
import { createHost, type Host } from '../../src/main/host/host';
import { createMemoryLogger } from '../../src/main/host/logger';
import { sourceClosureHash } from './source-hash';

/**
 * Generating a PKI takes seconds (8-10 s for the demo one on a loaded 2-core machine, copying the
 * result 5 ms); tests copy a template data dir made once per machine (built in a temp dir, then
 * renamed into place, so a half-made template is never used). The template is keyed by a hash of
 * the code that generates it, so changing that code rebuilds it without a version to bump.
 */
const SRC = path.resolve(__dirname, '..', '..', 'src');
const TEMPLATE_KEY = sourceClosureHash(
  [path.join(SRC, 'main/auth/demo.ts'), path.join(SRC, 'main/auth/pki/pki.ts'), path.join(SRC, 'main/auth/pki/forge-worker.ts')],
  [path.resolve(__dirname, '..', '..', 'package-lock.json')],
);
const TEMPLATE_ROOT = path.join(tmpdir(), `chu-workstation-test-templates-${TEMPLATE_KEY.slice(0, 16)}`);

async function template(kind: 'demo' | 'empty'): Promise<string> {
  const dir = path.join(TEMPLATE_ROOT, kind);
  if (existsSync(path.join(dir, 'pki', 'pki.json'))) return dir;
  const building = mkdtempSync(path.join(tmpdir(), `ws-template-${kind}-`));
  if (kind === 'demo') await initDemo(building);
  else await initPki(building, []);
  try {
    cpSync(building, path.join(TEMPLATE_ROOT, `.${kind}-${process.pid}`), { recursive: true });
    renameSync(path.join(TEMPLATE_ROOT, `.${kind}-${process.pid}`), dir);
  } catch {
    // Another worker won the race: its template is complete, ours is dropped.
  }
  rmSync(building, { recursive: true, force: true });
  return dir;
}

/** A fresh data dir: demo users and TEST PKI, or an empty install (first run). */
export async function freshDataDir(kind: 'demo' | 'empty' = 'demo'): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'ws-data-'));
  cpSync(await template(kind), dir, { recursive: true });
  return dir;
}

export interface TestHost {
  host: Host;
  dataDir: string;
  clock: Clock & { advance(ms: number): void };
  audit: ReturnType<typeof createMemoryAuditPort>;
  close(): Promise<void>;
}

/** By default events go to an in-memory port; `journal: true` keeps the real signed journal. */
export async function createTestHost(opts: { kind?: 'demo' | 'empty'; config?: Partial<HostConfig>; journal?: boolean } = {}): Promise<TestHost> {
  const dataDir = await freshDataDir(opts.kind ?? 'demo');
  // Starts at the real time: the template PKI's certificates are valid from when it was made.
  const clock = createTestClock(new Date());
  const audit = createMemoryAuditPort();
  // The embedded test DMP, as the composition roots inject it when no DMP is configured.
  const host = await createHost({ dataDir, mode: 'browser', clock, logger: createMemoryLogger(), version: 'test', dmp: embeddedTestDmp(), ...(opts.journal ? {} : { audit }), ...opts.config });
  return {
    host,
    dataDir,
    clock,
    audit,
    async close() {
      await host.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
