import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { startHospitalTestServer, type HospitalTestServer } from '../../../../src/main/hospital/test-server';
import type { Role } from '../../../../src/shared/bridge/roles';
import { createTestHost, type TestHost } from '../../../support/host';
import { admit, serverResources, type Json } from './harness';

/** The change feed through the real dispatcher, as the renderer calls it: signed in, role-checked, rows as they cross. */
let server: HospitalTestServer;
let t: TestHost;
let ids: string[];
beforeAll(async () => {
  server = await startHospitalTestServer({ dataDir: mkdtempSync(path.join(tmpdir(), 'sync-feed-hospital-')), seed: { patients: 12, seed: 9, documentsPerPatient: 1 } });
  ids = (await serverResources(server.url, 'Patient')).map((p) => p.id as string).sort();
  await admit(server.url, ids[0]!, 'Cardiologie', new Date(Date.now() - 2 * 86_400_000).toISOString());
  t = await createTestHost({
    config: { hospital: { baseUrl: server.url, label: 'Serveur hospitalier de test', test: true }, scope: { units: ['Cardiologie'], careWindowDays: 30 } },
  });
  await t.host.sync!.pullNow();
});
afterAll(async () => {
  await t.close();
  await server.close();
});

const call = (clientId: string, method: string, input: unknown) => t.host.dispatch(method, input, { clientId, transport: 'http' });
async function login(clientId: string, role: Role): Promise<void> {
  const a = DEMO_ACCOUNTS.find((x) => x.role === role)!;
  expect((await call(clientId, 'session.login', { userId: a.id, password: a.password })).ok).toBe(true);
}

describe('sync.changes and sync.status through the dispatcher', () => {
  it('refuses the feed before sign-in and to roles that see no patient', async () => {
    expect(await call('anon', 'sync.changes', { after: 0 })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    await login('dpo', 'dpo');
    expect(await call('dpo', 'sync.changes', { after: 0 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await call('dpo', 'sync.changes', { after: -1 })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('a signed-in doctor reads every batch from 0: identities of all, content of the patients in care, seqs without a gap', async () => {
    await login('doc', 'medecin');
    const res = (await call('doc', 'sync.changes', { after: 0, maxRows: 50_000 })) as { ok: true; value: Json };
    expect(res.ok).toBe(true);
    const { epoch, head, batches } = res.value as { epoch: string; head: number; batches: Json[] };
    expect(epoch).toBe(t.host.replica.epoch);
    expect(head).toBe(t.host.replica.head());
    expect(batches.map((b) => b.seq)).toEqual(Array.from({ length: head }, (_, i) => i + 1));
    const patients = new Set(batches.flatMap((b) => (b.upserts.patients ?? []) as Json[]).map((p) => p.id));
    expect([...patients].sort()).toEqual(ids);
    const stays = batches.flatMap((b) => (b.upserts.stays ?? []) as Json[]);
    expect(new Set(stays.map((s) => s.patientId))).toEqual(new Set([ids[0]]));
    // Paging by seq: what follows the head is empty.
    expect(await call('doc', 'sync.changes', { after: head })).toMatchObject({ ok: true, value: { head, batches: [] } });
  });

  it('PDF bytes cross as { base64 }', async () => {
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31]);
    const seq = await t.host.replica.append({ upserts: { documentContents: [{ id: 'doc-pdf', patientId: ids[0]!, kind: 'pdf', data: pdf }] } });
    const res = (await call('doc', 'sync.changes', { after: seq - 1 })) as { ok: true; value: Json };
    expect(res.value.batches[0].upserts.documentContents[0].data).toEqual({ base64: 'JVBERi0x' });
  });

  it('sync.status for any signed-in role: the server, online, the head', async () => {
    await login('admin', 'admin');
    const res = (await call('admin', 'sync.status', {})) as { ok: true; value: Json };
    expect(res.value).toMatchObject({ online: true, server: { label: 'Serveur hospitalier de test', test: true }, firstReplica: null, head: t.host.replica.head() });
    expect(typeof res.value.lastPullAt).toBe('string');
  });
});
