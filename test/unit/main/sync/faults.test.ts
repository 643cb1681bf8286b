import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { HospitalTestServer } from '../../../../src/main/hospital/test-server';
import { createFhirClient } from '../../../../src/main/sync/client';
import { admit, materialise, openWorkstation, serverResources, startServer, type Json, type Workstation } from './harness';

/**
 * The real engine against the real server with injected faults: whatever the network does, the replica ends
 * equal to the server's record (every identity once, the content of the patients in care), without gaps.
 */
let server: HospitalTestServer;
let ids: string[];
let expectedPatients: string[];
beforeAll(async () => {
  server = await startServer(20);
  ids = (await serverResources(server.url, 'Patient')).map((p) => p.id as string).sort();
  expectedPatients = ids;
  await admit(server.url, ids[0]!, 'Cardiologie', '2026-06-10T08:00:00Z');
  // Left Urgences 20 days before the population's "today": in care for 10 more days.
  await admit(server.url, ids[1]!, 'Urgences', '2026-05-26T08:00:00Z', '2026-05-26T14:00:00Z');
});
afterAll(() => server.close());
afterEach(() => server.faults.clear());

const opened: Workstation[] = [];
afterEach(async () => {
  for (const ws of opened.splice(0)) {
    await ws.engine.stop();
    await ws.replica.close();
  }
});

async function workstation(clientOpts = {}): Promise<Workstation> {
  const ws = await openWorkstation(server.url, { units: ['Cardiologie', 'Urgences'], careWindowDays: 30 }, undefined, clientOpts);
  opened.push(ws);
  return ws;
}

async function expectConverged(ws: Workstation): Promise<void> {
  const rows = await materialise(ws.replica);
  expect([...rows.patients.keys()].sort()).toEqual(expectedPatients);
  expect([...ws.replica.heldPatients()].sort()).toEqual([ids[0], ids[1]].sort());
  const stays = (await serverResources(server.url, 'Encounter')).filter((e) => [ids[0], ids[1]].includes(String((e.subject as Json).reference).slice(8)));
  expect([...rows.stays.keys()].sort()).toEqual(stays.map((e) => e.id as string).sort());
}

describe('sync engine under faults', () => {
  it('rides out 503s, a connection reset and a hung request (retries with backoff, timeout) and converges', async () => {
    const ws = await workstation();
    server.faults.fail(503, 2, '$export');
    server.faults.reset(1, '$export-file');
    server.faults.hang(5000, 1, 'Patient?');
    await ws.engine.pullNow();
    await expectConverged(ws);
    expect(ws.engine.status().online).toBe(true);
  });

  it('a server down for longer than the retries: the pull fails with a French message, the next one converges without duplicates', async () => {
    const ws = await workstation();
    server.faults.fail(503, 50);
    await expect(ws.engine.pullNow()).rejects.toThrow('Le serveur hospitalier a répondu 503 (service indisponible)');
    expect(ws.replica.head()).toBe(0);
    server.faults.clear();
    await ws.engine.pullNow();
    await expectConverged(ws);
    // Each identity was appended once: the failed attempt left nothing half-written.
    const batches = await ws.replica.read(0, 1_000_000);
    const patientRows = batches.flatMap((b) => b.upserts.patients ?? []).map((p) => p.id);
    expect(patientRows.sort()).toEqual(expectedPatients);
  });

  it('the client says in French when the server is unreachable or answers too much', async () => {
    const dead = createFhirClient({ baseUrl: 'http://127.0.0.1:1/fhir/R4', label: 't', test: true }, { attempts: 1 });
    await expect(dead.request('GET', 'Patient')).rejects.toThrow('Serveur hospitalier injoignable (connexion refusée) : http://127.0.0.1:1.');
    dead.close();
    const small = createFhirClient({ baseUrl: server.url, label: 't', test: true }, { maxResponseBytes: 1000 });
    await expect(small.request('GET', 'Patient?_count=50')).rejects.toThrow('Réponse du serveur hospitalier trop volumineuse');
    await expect(small.request('GET', 'http://example.org/fhir/Patient')).rejects.toThrow('Lien refusé : http://example.org n’est pas le serveur hospitalier configuré');
    small.close();
  });

  it('scope: a stay ended 31 days ago drops the patient’s clinical rows (one delete batch), identity kept', async () => {
    const ws = await workstation();
    await ws.engine.pullNow();
    const before = await materialise(ws.replica);
    const leaving = ids[1]!;
    expect([...before.stays.values()].some((s) => s.patientId === leaving)).toBe(true);
    ws.clock.set(new Date('2026-06-26T14:00:01Z')); // end + 31 days
    await ws.engine.pullNow();
    const after = await materialise(ws.replica);
    expect(ws.replica.heldPatients().has(leaving)).toBe(false);
    for (const table of ['stays', 'documents', 'documentContents', 'allergies', 'treatments', 'problems', 'procedures', 'observations'] as const) {
      expect([...after[table].values()].filter((r) => r.patientId === leaving), table).toEqual([]);
    }
    expect(after.patients.get(leaving)?.id).toBe(leaving);
    // The current inpatient keeps everything.
    expect([...after.stays.values()].filter((s) => s.patientId === ids[0]).length).toBe([...before.stays.values()].filter((s) => s.patientId === ids[0]).length);
    expect(ws.replica.versionOf('Encounter', [...before.stays.values()].find((s) => s.patientId === leaving)!.id as string)).toBeUndefined();
  });

  it('break-glass on demand: fetchPatient brings one patient’s content, dropPatient takes it away again', async () => {
    const ws = await workstation();
    await ws.engine.pullNow();
    const other = ids[5]!;
    await ws.engine.fetchPatient(other);
    const fetched = await materialise(ws.replica);
    const stays = (await serverResources(server.url, 'Encounter')).filter((e) => (e.subject as Json).reference === `Patient/${other}`);
    expect([...fetched.stays.values()].filter((s) => s.patientId === other).map((s) => s.id).sort()).toEqual(stays.map((e) => e.id).sort());
    // A pull meanwhile keeps it (the access is open).
    await ws.engine.pullNow();
    expect(ws.replica.heldPatients().has(other)).toBe(true);
    await ws.engine.dropPatient(other);
    const dropped = await materialise(ws.replica);
    expect([...dropped.stays.values()].filter((s) => s.patientId === other)).toEqual([]);
    expect(dropped.patients.has(other)).toBe(true);
  });
});
