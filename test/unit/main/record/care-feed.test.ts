import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { DEMO_DMP_PATIENTS } from '../../../../src/shared/demo/dmp-patients';
import { createTestHost, type TestHost } from '../../../support/host';

/**
 * Until the sync engine feeds it, main's care index is fed only from what main reads or generates
 * itself: a prepared file of its data dir, the demo population, a patient created on the workstation.
 * Everything through the real dispatcher, as a real signed-in user.
 */
let t: TestHost;
const doctor = DEMO_ACCOUNTS.find((a) => a.role === 'medecin')!; // Cardiologie
const urg = DEMO_ACCOUNTS.find((a) => a.role === 'urgentiste')!; // Urgences
const DAY = 86_400_000;
const QUAL_NIR = '252077101484208';

function patient(id: string, ipp: string, status: string, nir?: string) {
  return {
    resourceType: 'Patient',
    id,
    extension: [{ url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability', extension: [{ url: 'identityStatus', valueCoding: { code: status } }] }],
    identifier: [
      { type: { coding: [{ code: 'PI' }] }, system: 'urn:chu-demo:ipp', value: ipp },
      ...(nir ? [{ system: 'urn:oid:1.2.250.1.213.1.4.10', value: nir }] : []),
    ],
    name: [{ use: 'official', family: 'TEST', given: ['Alice'] }],
    gender: 'female',
    birthDate: '1952-07-07',
  };
}

beforeAll(async () => {
  t = await createTestHost({ journal: true, config: { lockAfterMs: 24 * 3_600_000 } });
  const now = t.clock.now().getTime();
  const iso = (ms: number) => new Date(ms).toISOString();
  const bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { resource: patient('a', '300000001', 'QUAL', QUAL_NIR) },
      { resource: patient('b', '300000002', 'RECUP', '285027512345672') },
      { resource: patient('c', '300000003', 'VALI') },
      { resource: { resourceType: 'Encounter', id: 'ea', status: 'in-progress', subject: { reference: 'Patient/a' }, period: { start: iso(now - 3 * DAY) }, serviceProvider: { display: 'Cardiologie' } } },
      { resource: { resourceType: 'Encounter', id: 'eb', status: 'finished', subject: { reference: 'Patient/b' }, period: { start: iso(now - 20 * DAY), end: iso(now - 10 * DAY) }, serviceProvider: { display: 'Cardiologie' } } },
      { resource: { resourceType: 'Encounter', id: 'ec', status: 'finished', subject: { identifier: { system: 'urn:chu-demo:ipp', value: '300000003' } }, period: { start: iso(now - 50 * DAY), end: iso(now - 40 * DAY) }, serviceProvider: { display: 'Cardiologie' } } },
    ],
  };
  mkdirSync(path.join(t.dataDir, 'imports'), { recursive: true });
  writeFileSync(path.join(t.dataDir, 'imports', 'lot.json'), JSON.stringify(bundle));
});
afterAll(() => t.close());

let n = 0;
async function signedIn(account = doctor) {
  const ctx = { clientId: `feed-${++n}`, transport: 'http' as const };
  expect(await t.host.dispatch('session.login', { userId: account.id, password: account.password }, ctx)).toMatchObject({ ok: true });
  return (method: string, input: unknown) => t.host.dispatch(method, input, ctx);
}
const lastEntry = async (type: string) => (await t.host.journal.query({ type, limit: 1000 })).entries.at(-1)!;

describe('the care index fed by what main reads itself', () => {
  it('a prepared file: its patients and stays are indexed as main read them, INS only for a qualified identity', async () => {
    const d = await signedIn();
    expect(await d('record.openChart', { patient: { id: 'pat-300000001' } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await d('record.importFile', { name: 'lot.json' })).toMatchObject({ ok: true, value: { name: 'lot.json' } });
    expect(await lastEntry('record.import')).toMatchObject({ entity: { type: 'Bundle', id: 'lot.json' }, detail: { patients: 3, encounters: 3 } });
    expect(t.host.careIndex.identity('pat-300000001')).toEqual({ id: 'pat-300000001', ipp: '300000001', ins: `${QUAL_NIR}@1.2.250.1.213.1.4.10` });
    expect(t.host.careIndex.identity('pat-300000002')).toEqual({ id: 'pat-300000002', ipp: '300000002' });
    expect(await d('record.openChart', { patient: { id: 'pat-300000001' } })).toMatchObject({ ok: true, value: { via: 'unit' } });
    expect(await lastEntry('chart.open')).toMatchObject({ patient: { ipp: '300000001', ins: `${QUAL_NIR}@1.2.250.1.213.1.4.10` } });
    expect(await d('record.openChart', { patient: { id: 'pat-300000002' } })).toMatchObject({ ok: true, value: { via: 'unit' } });
    // Ended 40 days ago: no longer in care, by an encounter that named its patient by IPP.
    expect(t.host.careIndex.encountersOf('pat-300000003')).toHaveLength(1);
    expect(await d('record.openChart', { patient: { id: 'pat-300000003' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('the demo population: generated and indexed in main lot by lot, with the DMP demo patients in care', async () => {
    const d = await signedIn();
    const first = await d('record.importDemo', { total: 300, first: 0 });
    expect(first).toMatchObject({ ok: true, value: { first: 0, count: 250, next: 250 } });
    const lot = (first as { value: { text: string; dmpPatients: string } }).value;
    const bundle = JSON.parse(lot.text) as { entry: { resource: { resourceType: string } }[] };
    expect(bundle.entry.filter((e) => e.resource.resourceType === 'Patient')).toHaveLength(250);
    expect(JSON.parse(lot.dmpPatients).entry.filter((e: { resource: { resourceType: string } }) => e.resource.resourceType === 'Patient')).toHaveLength(DEMO_DMP_PATIENTS.length);
    expect(t.host.careIndex.identity('pat-100000001')).toMatchObject({ ipp: '100000001' });
    expect(t.host.careIndex.identity('pat-100000260')).toBeNull();
    // Out of order: refused with a French message, nothing generated.
    expect(await d('record.importDemo', { total: 300, first: 0 + 100 })).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'Import de démonstration interrompu : relancez-le depuis le début.' } });
    expect(await d('record.importDemo', { total: 300, first: 250 })).toMatchObject({ ok: true, value: { first: 250, count: 50, next: null } });
    expect(t.host.careIndex.identity('pat-100000300')).toMatchObject({ ipp: '100000300' });

    const dupont = DEMO_DMP_PATIENTS.find((p) => p.scenario === 'consentement')!;
    expect(t.host.careIndex.identity('pat-800000001')).toEqual({ id: 'pat-800000001', ipp: '800000001', ins: `${dupont.ins}@1.2.250.1.213.1.4.10` });
    expect(await d('record.openChart', { patient: { id: 'pat-800000001' } })).toMatchObject({ ok: true, value: { via: 'unit' } });
    const u = await signedIn(urg);
    expect(await u('record.openChart', { patient: { id: 'pat-800000001' } })).toMatchObject({ ok: true, value: { via: 'unit' } });
  });

  it('a patient created on the workstation: indexed in one of the creator’s units only, never over an existing one', async () => {
    const u = await signedIn(urg);
    const id = 'pat-0f6c2b1e-7a3d-4c55-9e21-5b8d3f0a1c77';
    expect(await u('record.openChart', { patient: { id } })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await u('record.registerPatient', { created: { id, ipp: '912345678' }, unit: 'Cardiologie' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'Vous ne pouvez créer un patient que dans vos unités (Urgences).' },
    });
    expect(await u('record.registerPatient', { created: { id, ipp: '912345678' }, unit: 'Urgences', provisional: true })).toMatchObject({ ok: true });
    expect(await lastEntry('record.patient.create')).toMatchObject({ agent: { userId: urg.id }, patient: { ipp: '912345678' }, entity: { type: 'Patient', id }, detail: { unit: 'Urgences', provisional: true } });
    expect(await u('record.openChart', { patient: { id } })).toMatchObject({ ok: true, value: { via: 'unit' } });
    // Not twice, not with an IPP main already knows, not under an imported patient's id, never with an INS.
    expect(await u('record.registerPatient', { created: { id, ipp: '912345679' }, unit: 'Urgences' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    const other = 'pat-1f6c2b1e-7a3d-4c55-9e21-5b8d3f0a1c77';
    expect(await u('record.registerPatient', { created: { id: other, ipp: '300000001' }, unit: 'Urgences' })).toEqual({
      ok: false,
      error: { code: 'CONFLICT', message: 'IPP 300000001 : déjà attribué à un autre patient du poste.' },
    });
    expect(await u('record.registerPatient', { created: { id: 'pat-300000009', ipp: '300000009' }, unit: 'Urgences' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await u('record.registerPatient', { created: { id: other, ipp: '912000001', ins: `${QUAL_NIR}@1.2.250.1.213.1.4.10` }, unit: 'Urgences' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(t.host.careIndex.identity(other)).toBeNull();
  });
});
