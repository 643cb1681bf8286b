import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHospitalTestServer, type HospitalTestServer } from '../../../../../src/main/hospital/test-server';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: HospitalTestServer;
let dataDir: string;
beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'hospital-export-'));
  server = await startHospitalTestServer({ dataDir, seed: { patients: 40, seed: 11, referenceDate: '2026-06-15', fullContentPatients: 5 } });
});
afterAll(async () => {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function kickOff(rel: string, body?: unknown): Promise<Response> {
  return fetch(server.url + rel, {
    method: body ? 'POST' : 'GET',
    headers: { Accept: 'application/fhir+json', Prefer: 'respond-async', ...(body ? { 'Content-Type': 'application/fhir+json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
}

/** Kick-off, poll until the manifest, download every file: resources by type. */
async function exportAll(rel: string, body?: unknown): Promise<{ manifest: Json; byType: Record<string, Json[]> }> {
  const res = await kickOff(rel, body);
  expect(res.status).toBe(202);
  const status = res.headers.get('content-location')!;
  expect(status.startsWith(server.url + '/')).toBe(true);
  let poll = await fetch(status);
  while (poll.status === 202) {
    await new Promise((r) => setTimeout(r, 20));
    poll = await fetch(status);
  }
  expect(poll.status).toBe(200);
  const manifest = (await poll.json()) as Json;
  const byType: Record<string, Json[]> = {};
  for (const out of manifest.output as Json[]) {
    const file = await fetch(out.url as string);
    expect(file.headers.get('content-type')).toBe('application/fhir+ndjson');
    const lines = (await file.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json);
    expect(lines).toHaveLength(out.count as number);
    (byType[out.type as string] ??= []).push(...lines);
  }
  return { manifest, byType };
}

async function total(type: string): Promise<number> {
  return ((await (await fetch(`${server.url}/${type}?_count=0`)).json()) as Json).total as number;
}

describe('hospital test server: Bulk Data $export', () => {
  it('exports every resource of the requested types, system-wide', async () => {
    const { manifest, byType } = await exportAll('/$export?_type=Patient,Encounter');
    expect(Object.keys(byType).sort()).toEqual(['Encounter', 'Patient']);
    expect(byType.Patient).toHaveLength(40);
    expect(byType.Encounter).toHaveLength(await total('Encounter'));
    expect(new Set(byType.Patient!.map((p) => p.id)).size).toBe(40);
    expect(manifest.requiresAccessToken).toBe(false);
    expect(Date.parse(manifest.transactionTime as string)).toBeGreaterThan(0);
  });

  it('_since keeps only what changed at or after the instant', async () => {
    const { manifest } = await exportAll('/$export?_type=Condition');
    const since = manifest.transactionTime as string;
    await new Promise((r) => setTimeout(r, 5));
    const created = (await (
      await fetch(server.url + '/Condition', { method: 'POST', headers: { 'Content-Type': 'application/fhir+json' }, body: JSON.stringify({ resourceType: 'Condition', subject: { reference: 'Patient/p100000007' }, code: { text: 'Diabète' } }) })
    ).json()) as Json;
    const { byType } = await exportAll(`/$export?_type=Condition,Patient&_since=${encodeURIComponent(since)}`);
    expect(byType).toEqual({ Condition: [created] });
  });

  it('Patient/$export with patient references exports those patients’ compartments only', async () => {
    const body = { resourceType: 'Parameters', parameter: [{ name: 'patient', valueReference: { reference: 'Patient/p100000002' } }, { name: 'patient', valueReference: { reference: 'Patient/p100000003' } }] };
    const { byType } = await exportAll('/Patient/$export', body);
    expect(byType.Patient!.map((p) => p.id).sort()).toEqual(['p100000002', 'p100000003']);
    expect(byType.DocumentReference!.length).toBeGreaterThan(0);
    for (const [type, resources] of Object.entries(byType)) {
      if (type === 'Patient') continue;
      for (const r of resources) expect(['Patient/p100000002', 'Patient/p100000003']).toContain((r.subject ?? r.patient).reference);
    }
    const encounters = await fetch(`${server.url}/Encounter?subject=Patient/p100000002,Patient/p100000003&_count=0`);
    expect(byType.Encounter).toHaveLength(((await encounters.json()) as Json).total as number);
  });

  it('identity tier: patients beyond the content ones (and not in care) have identity and stays only', async () => {
    const { byType } = await exportAll('/$export?_type=Patient,DocumentReference');
    const withDocs = new Set(byType.DocumentReference!.map((d) => (d.subject as Json).reference as string));
    for (let i = 1; i <= 5; i++) expect(withDocs.has(`Patient/p${100_000_000 + i}`)).toBe(true);
    expect(withDocs.size).toBe(server.seeded!.fullPatients);
    expect(server.seeded!.fullPatients).toBeLessThan(40);
  });

  it('refuses bad kick-offs with French messages', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['/$export?_type=Nope', undefined, /Type de ressource inconnu : Nope/],
      ['/$export?_since=hier', undefined, /Date _since invalide/],
      ['/Patient/$export?patient=Patient/p100000001', undefined, /s’envoie en POST/],
      ['/$export?_outputFormat=text/csv', undefined, /Format de sortie non pris en charge/],
      ['/$export', { resourceType: 'Parameters', parameter: [{ name: 'patient', valueReference: { reference: 'Patient/p100000001' } }] }, /ne vaut que pour Patient\/\$export/],
      ['/Patient/$export', { resourceType: 'Parameters', parameter: [{ name: 'patient', valueReference: { reference: 'Encounter/x' } }] }, /Référence de patient invalide/],
      ['/Patient/$export', { resourceType: 'Patient' }, /ressource Parameters/],
    ];
    for (const [rel, body, message] of cases) {
      const res = await kickOff(rel, body);
      expect([rel, res.status]).toEqual([rel, 400]);
      expect(((await res.json()) as Json).issue[0].diagnostics).toMatch(message);
    }
    expect((await fetch(server.url + '/$export-status/unknown')).status).toBe(404);
  });

  it('a cancelled (DELETE) export is gone', async () => {
    const res = await kickOff('/$export?_type=Patient');
    const status = res.headers.get('content-location')!;
    expect((await fetch(status, { method: 'DELETE' })).status).toBe(202);
    expect((await fetch(status)).status).toBe(404);
  });
});
