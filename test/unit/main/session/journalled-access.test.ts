import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { verifyJournal } from '../../../../src/main/audit';
import { admit } from '../../../support/care';
import { createTestHost, type TestHost } from '../../../support/host';

/** Every access path that exists writes its entry in the real signed journal, which then verifies. */
let t: TestHost;
beforeAll(async () => {
  t = await createTestHost({ journal: true });
  admit(t.host.careIndex, { id: 'p1', ipp: '100000097', ins: INS_P1, unit: 'Cardiologie' });
  admit(t.host.careIndex, { id: 'p2', ipp: '100000098', ins: INS_P2, unit: 'Urgences' });
});
afterAll(() => t.close());

const ctx = { clientId: 'j1', transport: 'http' as const };
const doctor = DEMO_ACCOUNTS.find((a) => a.role === 'medecin')!;
const INS_P1 = '252077101484208@1.2.250.1.213.1.4.10';
// Born in Haute-Corse: the NIR's department is 2B.
const INS_P2 = '185022B12345691@1.2.250.1.213.1.4.10';
const patient = { id: 'p1' };
const corsican = { id: 'p2' };

describe('journalled access paths', () => {
  it('writes login, chart open, document view, search, denial, break-glass, lock and unlock to the journal', async () => {
    const d = (m: string, i: unknown) => t.host.dispatch(m, i, ctx);
    await d('session.login', { userId: doctor.id, password: 'faux-mot-de-passe' });
    expect((await d('session.login', { userId: doctor.id, password: doctor.password })).ok).toBe(true);
    expect(await d('record.openChart', { patient })).toMatchObject({ ok: true });
    expect(await d('record.reportAccess', { patient, event: 'record.document.view', entity: { type: 'DocumentReference', id: 'doc-9' } })).toMatchObject({ ok: true });
    expect(await d('record.reportSearch', { query: 'rivière' })).toMatchObject({ ok: true });
    expect(await d('record.openChart', { patient: corsican })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await d('session.breakGlassStart', { patient: corsican, reason: 'urgence_vitale', justification: 'Patient inconscient, antécédents nécessaires' })).toMatchObject({ ok: true });
    expect(await d('record.openChart', { patient: corsican })).toMatchObject({ ok: true, value: { via: 'break_glass' } });
    await d('session.lock', { reason: 'manual' });
    await d('session.unlock', { secret: doctor.password });
    await d('session.logout', { switchUser: false });

    const { entries } = await t.host.journal.query({ limit: 100 });
    const types = entries.map((e) => `${e.type}:${e.outcome}`);
    expect(types).toEqual([
      'auth.login:failure',
      'auth.login:success',
      'chart.open:success',
      'record.document.view:success',
      'record.search:success',
      'access.denied:denied',
      'security.breakglass.start:success',
      'chart.open:success',
      'auth.lock:success',
      'auth.unlock:success',
      'auth.logout:success',
    ]);
    const open = entries[2]!;
    expect(open).toMatchObject({ agent: { userId: doctor.id, role: 'medecin' }, patient: { ipp: '100000097', ins: INS_P1 }, purposeOfUse: { code: 'normal' } });
    expect(open.workstationId).toBe(t.host.workstationId);
    expect(entries[7]!.purposeOfUse).toMatchObject({ code: 'bris_de_glace_local', reason: 'urgence_vitale' });

    await t.host.journal.checkpoint();
    const verdict = await verifyJournal(t.host.journal.dir, { certificatePem: t.host.pki.workstation.certPem });
    expect(verdict).toMatchObject({ ok: true, entries: 11 });
  });
});
