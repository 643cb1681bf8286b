import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HospitalTestServer } from '../../../../../src/main/hospital/test-server';
import type { NoteRow } from '../../../../../src/shared/record/types';
import { copiesOf, get, removeDirs, startServer, workstation, type Workstation } from './helpers';

let server: HospitalTestServer;
let ws: Workstation;
let patientId: string;

beforeAll(async () => {
  server = await startServer();
  ws = await workstation(server);
  patientId = (await get(server, '/Patient?_count=1')).json.entry[0].resource.id;
});
afterAll(async () => {
  await ws.close();
  await server.close();
  removeDirs();
});

function note(text: string): NoteRow {
  return { id: randomUUID(), patientId, author: 'Dr Martin', text, createdAt: new Date().toISOString() };
}

async function push(row: NoteRow) {
  const item = await ws.outbox.enqueue({ label: 'Note clinique', patientIds: [row.patientId], ops: [{ op: 'create', table: 'notes', row }] });
  await ws.outbox.drain();
  return ws.outbox.list().find((i) => i.id === item.id)!;
}

describe('outbox → hospital server', () => {
  it('pushes a note as a conditional create; the row takes the server id and the replica its version', async () => {
    const row = note('Patient stable.');
    const item = await push(row);
    expect(item).toMatchObject({ state: 'sent', attempts: 1 });
    const serverId = item.serverIds![row.id]!;
    expect(await copiesOf(server, 'DocumentReference', row.id)).toBe(1);
    const onServer = await get(server, `/DocumentReference/${serverId}`);
    expect(onServer.json.subject).toEqual({ reference: `Patient/${patientId}` });
    expect(await ws.replica.get('notes', serverId)).toEqual({ ...row, id: serverId });
    expect(await ws.replica.get('notes', row.id)).toBeUndefined();
    expect(ws.replica.versionOf('DocumentReference', serverId)).toBe(onServer.json.meta.versionId);
  });

  it('503, reset and a lost answer (timeout after the server applied it): retried, on the server exactly once', async () => {
    server.faults.fail(503, 1, '/fhir/R4');
    server.faults.reset(1, '/fhir/R4');
    // The server sleeps 2.5 s and then applies the bundle; the workstation gave up at 2 s.
    server.faults.hang(2500, 1, '/fhir/R4');
    const row = note('Fièvre à 39 °C.');
    const item = await ws.outbox.enqueue({ label: 'Note clinique', patientIds: [patientId], ops: [{ op: 'create', table: 'notes', row }] });
    const states: string[] = [];
    for (let k = 0; k < 10 && ws.outbox.list().find((i) => i.id === item.id)!.state !== 'sent'; k++) {
      await ws.outbox.drain();
      const now = ws.outbox.list().find((i) => i.id === item.id)!;
      states.push(now.state === 'pending' ? `retry:${now.lastError?.split(' :')[0]}` : now.state);
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(states.at(-1)).toBe('sent');
    expect(states.slice(0, 3)).toEqual([
      'retry:Serveur hospitalier indisponible',
      'retry:Serveur hospitalier injoignable',
      'retry:Serveur hospitalier injoignable',
    ]);
    await new Promise((r) => setTimeout(r, 800));
    expect(await copiesOf(server, 'DocumentReference', row.id)).toBe(1);
  });

  it('a write that cannot succeed fails for good with its French reason; other patients’ writes still leave', async () => {
    // A link on an identity the server does not hold: nothing to put the change on.
    const ghost = { id: 'ghost-' + randomUUID(), ipp: '900000002', birthFamilyName: 'TEST', birthGivenNames: 'A', sex: 'U' as const, identityStatus: 'PROV' as const, tokens: [], units: [], linkedTo: patientId, createdAt: 0, updatedAt: 0 };
    const queued = await ws.outbox.enqueue({ label: 'Rattachement', patientIds: [ghost.id], ops: [{ op: 'update', table: 'patients', row: ghost, baseVersion: '1' }] });
    const after = note('Après l’échec.');
    const next = await ws.outbox.enqueue({ label: 'Note clinique', patientIds: [patientId], ops: [{ op: 'create', table: 'notes', row: after }] });
    await ws.outbox.drain();
    const list = ws.outbox.list();
    expect(list.find((i) => i.id === queued.id)).toMatchObject({ state: 'failed', lastError: 'Envoi impossible : identité introuvable sur le serveur hospitalier.' });
    expect(list.find((i) => i.id === next.id)!.state).toBe('sent');
    expect(ws.outbox.counts()).toEqual({ pending: 0, failed: 1, conflicts: 0 });
  });
});
