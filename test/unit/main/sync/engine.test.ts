import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HospitalTestServer } from '../../../../src/main/hospital/test-server';
import { createFhirClient } from '../../../../src/main/sync/client';
import { CONTENT_TYPES } from '../../../../src/main/sync/ingest';
import { admit, materialise, openWorkstation, patientOf, REFERENCE_NOW, serverResources, startServer, type Json } from './harness';

let server: HospitalTestServer;
let ids: string[];
beforeAll(async () => {
  server = await startServer(30);
  ids = (await serverResources(server.url, 'Patient')).map((p) => p.id as string).sort();
  // Two current inpatients of Cardiologie, one left Urgences 10 days ago, one left Cardiologie 40 days ago (out of the window).
  await admit(server.url, ids[0]!, 'Cardiologie', '2026-06-10T08:00:00Z');
  await admit(server.url, ids[1]!, 'Cardiologie', '2026-06-12T08:00:00Z');
  await admit(server.url, ids[2]!, 'Urgences', '2026-06-05T08:00:00Z', '2026-06-05T14:00:00Z');
  await admit(server.url, ids[3]!, 'Cardiologie', '2026-05-01T08:00:00Z', '2026-05-06T12:00:00Z');
});
afterAll(() => server.close());

const TABLE_OF: Record<string, string> = {
  Encounter: 'stays',
  Condition: 'problems',
  AllergyIntolerance: 'allergies',
  MedicationRequest: 'treatments',
  Procedure: 'procedures',
  Observation: 'observations',
  DocumentReference: 'documents',
};

describe('sync engine against the hospital test server', () => {
  it('first replica: every identity, the full content of the patients in care with the units, nothing of the others', async () => {
    const ws = await openWorkstation(server.url, { units: ['Cardiologie', 'Urgences'], careWindowDays: 30 });
    await ws.engine.pullNow();
    const rows = await materialise(ws.replica);
    const patients = await serverResources(server.url, 'Patient');
    expect([...rows.patients.keys()].sort()).toEqual(patients.map((p) => p.id as string).sort());

    const inCare = new Set(ws.care.patientsInCare(['Cardiologie', 'Urgences'], REFERENCE_NOW));
    expect([ids[0], ids[1], ids[2]].every((id) => inCare.has(id!))).toBe(true);
    expect(inCare.has(ids[3]!)).toBe(false);
    expect(inCare.size).toBeLessThan(patients.length);
    expect([...ws.replica.heldPatients()].sort()).toEqual([...inCare].sort());
    for (const type of CONTENT_TYPES) {
      const expected = (await serverResources(server.url, type)).filter((r) => inCare.has(patientOf(r))).map((r) => r.id as string).sort();
      const table = rows[TABLE_OF[type] as keyof typeof rows];
      expect([...table.keys()].sort(), type).toEqual(expected);
    }
    expect([...rows.documentContents.keys()].sort()).toEqual([...rows.documents.keys()].sort());
    // Server versions are kept for If-Match.
    const p = patients[0]!;
    expect(ws.replica.versionOf('Patient', p.id as string)).toBe((p.meta as Json).versionId);
    expect(ws.engine.status()).toMatchObject({ online: true, firstReplica: null, server: { label: 'Serveur hospitalier de test', test: true }, head: ws.replica.head() });
    await ws.engine.stop();
    await ws.replica.close();
  });

  it('incremental: a resource written on the server reaches the replica at the next pull, and a re-pull adds nothing', async () => {
    const ws = await openWorkstation(server.url, { units: 'all', careWindowDays: 30 });
    await ws.engine.pullNow();
    const held = ids[0]!;
    expect(ws.replica.heldPatients().has(held)).toBe(true);
    const client = createFhirClient({ baseUrl: server.url, label: 't', test: true });
    const created = (
      await client.request('POST', 'AllergyIntolerance', {
        body: { resourceType: 'AllergyIntolerance', patient: { reference: `Patient/${held}` }, code: { text: 'Arachide' }, clinicalStatus: { coding: [{ code: 'active' }] }, recordedDate: '2026-06-15T10:00:00Z' },
      })
    ).json as Json;
    client.close();
    await ws.engine.pullNow();
    const rows = await materialise(ws.replica);
    expect(rows.allergies.get(created.id as string)).toMatchObject({ id: created.id, patientId: held, substance: 'Arachide', status: 'active' });
    const head = ws.replica.head();
    await ws.engine.pullNow();
    const again = await ws.replica.read(head, 5000);
    // Re-reading the cursor's own instant may repeat its rows, but never anything older.
    expect(again.flatMap((b) => b.upserts.allergies ?? []).every((a) => a.id === created.id)).toBe(true);
    await ws.engine.stop();
    await ws.replica.close();
  });
});
