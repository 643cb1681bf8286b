import { appendFileSync, mkdtempSync, rmSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHospitalTestServer, type HospitalTestServer } from '../../../../../src/main/hospital/test-server';

const JSON_HEADERS = { 'Content-Type': 'application/fhir+json' };
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function call(server: HospitalTestServer, method: string, rel: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; json: Json; headers: Headers }> {
  const res = await fetch(rel.startsWith('http') ? rel : server.url + rel, {
    method,
    headers: { ...(body !== undefined ? JSON_HEADERS : {}), ...headers },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'hospital-test-'));
  dirs.push(d);
  return d;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('hospital test server: REST', () => {
  let server: HospitalTestServer;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = freshDir();
    server = await startHospitalTestServer({ dataDir, seed: { patients: 30, seed: 7, referenceDate: '2026-06-15', fullContentPatients: 10 } });
  });
  afterAll(() => server.close());
  afterEach(() => server.faults.clear());

  it('serves the seeded population: identities for all, content for the first ones and those in care', async () => {
    expect(server.seeded).toMatchObject({ patients: 30 });
    const patients = await call(server, 'GET', '/Patient?_count=100');
    expect(patients.status).toBe(200);
    expect(patients.json.total).toBe(30);
    const p0 = await call(server, 'GET', '/Patient/p100000001');
    expect(p0.json.identifier[0].value).toBe('100000001');
    expect(p0.headers.get('etag')).toBe(`W/"${p0.json.meta.versionId}"`);
    const docs0 = await call(server, 'GET', '/DocumentReference?subject=Patient/p100000001&_count=1');
    expect(docs0.json.total).toBeGreaterThan(0);
  });

  it('creates, reads, vreads, updates with If-Match and answers 412 to a stale version', async () => {
    const created = await call(server, 'POST', '/AllergyIntolerance', { resourceType: 'AllergyIntolerance', patient: { reference: 'Patient/p100000001' }, code: { text: 'Pénicilline' } });
    expect(created.status).toBe(201);
    const { id, meta } = created.json;
    expect(created.headers.get('location')).toBe(`${server.url}/AllergyIntolerance/${id}/_history/${meta.versionId}`);
    const v1 = meta.versionId as string;
    const updated = await call(server, 'PUT', `/AllergyIntolerance/${id}`, { ...created.json, code: { text: 'Amoxicilline' } }, { 'If-Match': `W/"${v1}"` });
    expect(updated.status).toBe(200);
    expect(updated.json.meta.versionId).not.toBe(v1);
    const stale = await call(server, 'PUT', `/AllergyIntolerance/${id}`, { ...created.json, code: { text: 'Autre' } }, { 'If-Match': `W/"${v1}"` });
    expect(stale.status).toBe(412);
    expect(stale.json.issue[0].diagnostics).toMatch(/^Version périmée/);
    expect((await call(server, 'GET', `/AllergyIntolerance/${id}`)).json.code.text).toBe('Amoxicilline');
    expect((await call(server, 'GET', `/AllergyIntolerance/${id}/_history/${v1}`)).json.code.text).toBe('Pénicilline');
    const history = await call(server, 'GET', `/AllergyIntolerance/${id}/_history`);
    expect(history.json.entry.map((e: Json) => e.resource.code.text)).toEqual(['Amoxicilline', 'Pénicilline']);
  });

  it('conditional create (If-None-Exist) applies a retried create once', async () => {
    const body = { resourceType: 'Condition', subject: { reference: 'Patient/p100000002' }, identifier: [{ system: 'urn:ietf:rfc:3986', value: 'urn:uuid:6f1c1c36-5d43-4a57-9b43-6f1f3e1d2a01' }], code: { text: 'HTA' } };
    const ifNone = { 'If-None-Exist': 'identifier=urn:ietf:rfc:3986|urn:uuid:6f1c1c36-5d43-4a57-9b43-6f1f3e1d2a01' };
    const first = await call(server, 'POST', '/Condition', body, ifNone);
    const again = await call(server, 'POST', '/Condition', body, ifNone);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.json.id).toBe(first.json.id);
    const found = await call(server, 'GET', '/Condition?identifier=urn:ietf:rfc:3986|urn:uuid:6f1c1c36-5d43-4a57-9b43-6f1f3e1d2a01');
    expect(found.json.total).toBe(1);
  });

  it('a transaction is all or nothing; a batch is entry by entry', async () => {
    const before = (await call(server, 'GET', '/Observation?_count=0')).json.total as number;
    const p3 = (await call(server, 'GET', '/Patient/p100000003')).json;
    const failing = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { fullUrl: 'urn:uuid:0b7e7c1a-1111-4c4c-8888-000000000001', request: { method: 'POST', url: 'Observation' }, resource: { resourceType: 'Observation', status: 'final', code: { text: 'Poids' }, subject: { reference: 'Patient/p100000003' } } },
        { request: { method: 'PUT', url: 'Patient/p100000003', ifMatch: 'W/"not-the-version"' }, resource: { ...p3, gender: 'other' } },
      ],
    };
    const refused = await call(server, 'POST', '', failing);
    expect(refused.status).toBe(412);
    expect((await call(server, 'GET', '/Observation?_count=0')).json.total).toBe(before);
    expect((await call(server, 'GET', '/Patient/p100000003')).json.meta.versionId).toBe(p3.meta.versionId);
    const ok = await call(server, 'POST', '', { ...failing, entry: [failing.entry[0], { ...failing.entry[1], request: { method: 'PUT', url: 'Patient/p100000003', ifMatch: `W/"${p3.meta.versionId}"` } }] });
    expect(ok.status).toBe(200);
    expect(ok.json.entry.map((e: Json) => e.response.status)).toEqual(['201', '200']);
    expect((await call(server, 'GET', '/Observation?_count=0')).json.total).toBe(before + 1);
    const batch = await call(server, 'POST', '', { resourceType: 'Bundle', type: 'batch', entry: [failing.entry[0], failing.entry[1]] });
    expect(batch.status).toBe(200);
    expect(batch.json.entry.map((e: Json) => e.response.status.slice(0, 3))).toEqual(['201', '412']);
  });

  it('pages searches by _lastUpdated with absolute next links', async () => {
    const first = await call(server, 'GET', '/Patient?_sort=_lastUpdated&_count=12');
    expect(first.json.entry).toHaveLength(12);
    const next = first.json.link.find((l: Json) => l.relation === 'next').url as string;
    expect(next.startsWith(server.url + '/Patient?')).toBe(true);
    const second = await call(server, 'GET', next);
    const third = await call(server, 'GET', second.json.link.find((l: Json) => l.relation === 'next').url);
    expect(third.json.link.some((l: Json) => l.relation === 'next')).toBe(false);
    const stamps = [first, second, third].flatMap((page) => page.json.entry.map((e: Json) => e.resource.meta.lastUpdated as string));
    expect(stamps).toHaveLength(30);
    expect([...stamps].sort()).toEqual(stamps);
    const since = await call(server, 'GET', `/Patient?_lastUpdated=gt${stamps[19]}&_sort=_lastUpdated&_count=100`);
    expect(since.json.entry.map((e: Json) => e.resource.meta.lastUpdated)).toEqual(stamps.slice(20));
    // The fast path (bounds and sort on _lastUpdated only) agrees with Medplum's general search.
    for (const q of [`_lastUpdated=ge${stamps[5]}&_lastUpdated=lt${stamps[25]}&_sort=-_lastUpdated`, `_lastUpdated=le${stamps[3]}`, '_sort=_lastUpdated']) {
      const fast = await call(server, 'GET', `/Patient?${q}&_count=100`);
      const general = await call(server, 'GET', `/Patient?${q}&gender:missing=false&_count=100`);
      expect(fast.json.entry.map((e: Json) => e.resource.id)).toEqual(general.json.entry.map((e: Json) => e.resource.id));
      expect(fast.json.total).toBe(general.json.total);
    }
  });

  it('refuses hostile or malformed input with French outcomes and writes nothing', async () => {
    const count = async (): Promise<number> => (await call(server, 'GET', '/Observation?_count=0')).json.total as number;
    const before = await count();
    const cases: [string, string, unknown, number, RegExp][] = [
      ['POST', '/Observation', '{"resourceType": "Observation",', 400, /JSON invalide/],
      ['POST', '/Observation', { resourceType: 'Patient' }, 400, /Type de ressource incorrect : Observation attendu, Patient reçu/],
      ['POST', '/Observation', [1, 2], 400, /objet JSON/],
      ['POST', '/Observation', { resourceType: 'Nope' }, 400, /inconnu/],
      ['PUT', '/Observation/abc', { resourceType: 'Observation', id: 'xyz', status: 'final', code: {} }, 400, /ne correspond pas/],
      ['POST', '', { resourceType: 'Bundle', type: 'collection' }, 400, /batch ou transaction/],
      ['GET', '/Nope', undefined, 404, /Type de ressource inconnu : Nope/],
      ['POST', '/Observation', '', 400, /Corps de requête vide/],
      ['POST', '/Observation', `{"resourceType":"Observation","note":${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}}`, 400, /imbrication de plus de 100 niveaux/],
    ];
    for (const [method, rel, body, status, message] of cases) {
      const r = await call(server, method, rel, body);
      expect([rel, r.status]).toEqual([rel, status]);
      expect(r.json.resourceType).toBe('OperationOutcome');
      expect(r.json.issue[0].diagnostics).toMatch(message);
    }
    const huge = await fetch(server.url + '/Observation', { method: 'POST', headers: JSON_HEADERS, body: 'x'.repeat(17 * 1024 * 1024) });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as Json).issue[0].diagnostics).toMatch(/trop volumineuse/);
    expect(await count()).toBe(before);
  });

  it('injects faults: 503 for N requests on a path, resets, hangs; stats count them', async () => {
    const before = server.stats().requests;
    server.faults.fail(503, 2, '/Patient');
    expect((await call(server, 'GET', '/Patient/p100000001')).status).toBe(503);
    expect((await call(server, 'GET', '/Encounter?_count=1')).status).toBe(200);
    expect((await call(server, 'GET', '/Patient/p100000001')).status).toBe(503);
    expect((await call(server, 'GET', '/Patient/p100000001')).status).toBe(200);
    server.faults.reset(1);
    await expect(fetch(server.url + '/Patient/p100000001')).rejects.toThrow();
    server.faults.hang(300, 1);
    const t = performance.now();
    expect((await call(server, 'GET', '/Patient/p100000001')).status).toBe(200);
    expect(performance.now() - t).toBeGreaterThanOrEqual(290);
    const stats = server.stats();
    expect(stats.requests - before).toBe(6);
    expect(stats.busyMs).toBeGreaterThan(0);
  });

  it('keeps its files private (0700 dirs, 0600 files)', () => {
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    for (const name of readdirSync(dataDir)) {
      const st = statSync(path.join(dataDir, name));
      expect([name, st.mode & 0o777]).toEqual([name, st.isDirectory() ? 0o700 : 0o600]);
    }
  });
});

describe('hospital test server: persistence', () => {
  it('a restart keeps every resource, version and deletion, and does not seed again', async () => {
    const dataDir = freshDir();
    let server = await startHospitalTestServer({ dataDir, seed: { patients: 5, seed: 3, referenceDate: '2026-06-15' } });
    const created = await call(server, 'POST', '/Condition', { resourceType: 'Condition', subject: { reference: 'Patient/p100000001' }, code: { text: 'Asthme' } });
    const v2 = await call(server, 'PUT', `/Condition/${created.json.id}`, { ...created.json, code: { text: 'Asthme sévère' } });
    const gone = await call(server, 'POST', '/Condition', { resourceType: 'Condition', subject: { reference: 'Patient/p100000001' }, code: { text: 'Erreur' } });
    expect((await call(server, 'DELETE', `/Condition/${gone.json.id}`)).status).toBe(200);
    const total = (await call(server, 'GET', '/Condition?_count=0')).json.total as number;
    await server.close();
    server = await startHospitalTestServer({ dataDir, seed: { patients: 50, seed: 3 } });
    try {
      expect(server.seeded).toBeNull();
      expect((await call(server, 'GET', '/Patient?_count=0')).json.total).toBe(5);
      expect((await call(server, 'GET', '/Condition?_count=0')).json.total).toBe(total);
      const current = await call(server, 'GET', `/Condition/${created.json.id}`);
      expect(current.json.meta).toEqual(v2.json.meta);
      expect((await call(server, 'GET', `/Condition/${created.json.id}/_history/${created.json.meta.versionId}`)).json.code.text).toBe('Asthme');
      expect((await call(server, 'GET', `/Condition/${gone.json.id}`)).status).toBe(404);
      // And If-Match keeps working against the restored versions.
      expect((await call(server, 'PUT', `/Condition/${created.json.id}`, current.json, { 'If-Match': `W/"${created.json.meta.versionId}"` })).status).toBe(412);
    } finally {
      await server.close();
    }
  });

  it('a write torn by a crash (last log line without its end) is dropped at reopen, and the log goes on after it', async () => {
    const dataDir = freshDir();
    let server = await startHospitalTestServer({ dataDir });
    const kept = await call(server, 'POST', '/Condition', { resourceType: 'Condition', subject: { reference: 'Patient/x' }, code: { text: 'Gardée' } });
    await server.close();
    const log = readdirSync(dataDir).find((n) => /^log-\d+\.ndjson$/.test(n))!;
    appendFileSync(path.join(dataDir, log), '{"c":[{"op":"put","resource":{"resourceType":"Condition","id":"torn"');
    server = await startHospitalTestServer({ dataDir });
    expect((await call(server, 'GET', '/Condition/torn')).status).toBe(404);
    expect((await call(server, 'GET', `/Condition/${kept.json.id}`)).json.code.text).toBe('Gardée');
    const after = await call(server, 'POST', '/Condition', { resourceType: 'Condition', subject: { reference: 'Patient/x' }, code: { text: 'Après' } });
    await server.close();
    server = await startHospitalTestServer({ dataDir });
    try {
      expect((await call(server, 'GET', `/Condition/${after.json.id}`)).json.code.text).toBe('Après');
      expect((await call(server, 'GET', '/Condition?_count=0')).json.total).toBe(2);
    } finally {
      await server.close();
    }
  });
});
