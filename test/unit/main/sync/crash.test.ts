import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HospitalTestServer } from '../../../../src/main/hospital/test-server';
import { createFhirClient } from '../../../../src/main/sync/client';
import { openReplicaStore } from '../../../../src/main/sync/replica/store';
import { admit, materialise, serverResources, startServer } from './harness';

const CHILD = path.join(__dirname, 'engine-child.ts');

function runChild(url: string, dir: string): { child: ChildProcess; done: Promise<number | null> } {
  const child = spawn(process.execPath, ['--experimental-websocket', '--import', 'tsx', CHILD, url, dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => {
    if (code && code !== 0) console.error(err);
    resolve(code);
  }));
  return { child, done };
}

/** Kills the child with SIGKILL once its change log has grown past `bytes` (it is mid-pull then). */
async function killWhenLogGrows(run: ReturnType<typeof runChild>, dir: string, bytes: number): Promise<boolean> {
  const log = path.join(dir, 'replica', 'log.ndjson');
  for (;;) {
    const exited = await Promise.race([run.done.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 20))]);
    if (exited) return false;
    let size = 0;
    try {
      size = statSync(log).size;
    } catch {
      /* not created yet */
    }
    if (size > bytes) {
      run.child.kill('SIGKILL');
      await run.done;
      return true;
    }
  }
}

let server: HospitalTestServer;
let ids: string[];
beforeAll(async () => {
  server = await startServer(25);
  ids = (await serverResources(server.url, 'Patient')).map((p) => p.id as string).sort();
  await admit(server.url, ids[0]!, 'Cardiologie', '2026-06-10T08:00:00Z');
  await admit(server.url, ids[1]!, 'Cardiologie', '2026-06-11T08:00:00Z');
});
afterAll(() => server.close());

describe('sync engine killed with SIGKILL mid-pull', () => {
  it('restarts from its durable cursors and converges: every row once, no gap in the change log', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sync-crash-'));
    server.setControls({ latencyMs: 150 });
    // 1. Killed during the first replica (identities written, content export under way).
    expect(await killWhenLogGrows(runChild(server.url, dir), dir, 0)).toBe(true);
    // 2. Restarted to the end.
    expect(await runChild(server.url, dir).done).toBe(0);
    // 3. New results on the server, pulled incrementally by a child killed mid-pull, then restarted.
    const client = createFhirClient({ baseUrl: server.url, label: 't', test: true });
    for (let i = 0; i < 12; i++) {
      await client.request('POST', 'Observation', {
        body: { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'http://loinc.org', code: '2823-3', display: 'Potassium' }] }, subject: { reference: `Patient/${ids[i % 2]}` }, effectiveDateTime: `2026-06-15T0${i % 10}:00:00Z`, valueQuantity: { value: 4 + i / 10, unit: 'mmol/L' } },
      });
    }
    client.close();
    const size = statSync(path.join(dir, 'replica', 'log.ndjson')).size;
    await killWhenLogGrows(runChild(server.url, dir), dir, size);
    server.setControls({ latencyMs: 0 });
    expect(await runChild(server.url, dir).done).toBe(0);

    const replica = await openReplicaStore(path.join(dir, 'replica'));
    const rows = await materialise(replica); // asserts seqs 1..head without a gap
    expect([...rows.patients.keys()].sort()).toEqual(ids);
    expect([...replica.heldPatients()].sort()).toEqual([ids[0], ids[1]].sort());
    for (const [type, table] of [['Observation', 'observations'], ['Encounter', 'stays'], ['Condition', 'problems'], ['DocumentReference', 'documents']] as const) {
      const expected = (await serverResources(server.url, type)).filter((r) => [`Patient/${ids[0]}`, `Patient/${ids[1]}`].includes((r.subject as { reference: string }).reference));
      expect([...rows[table].keys()].sort(), type).toEqual(expected.map((r) => r.id as string).sort());
    }
    await replica.close();
  }, 120_000);
});
