import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { DEMO_DMP_PATIENTS } from '../../../../src/shared/demo/dmp-patients';
import { admit } from '../../../support/care';
import { createTestHost, type TestHost } from '../../../support/host';

/** DMP calls through the real host and the real signed journal (whose entry rules are strict). */
let t: TestHost;
beforeAll(async () => {
  t = await createTestHost({ journal: true });
});
afterAll(() => t.close());

describe('DMP break-glass in the journal', () => {
  it('journals the declaration and every later document call with its justification', async () => {
    const urg = DEMO_ACCOUNTS.find((a) => a.role === 'urgentiste')!;
    const ctx = { clientId: 'dmp-bg', transport: 'http' as const };
    await t.host.dispatch('session.login', { userId: urg.id, password: urg.password }, ctx);
    const p = DEMO_DMP_PATIENTS.find((x) => x.scenario === 'consentement')!;
    const ins = `${p.ins}@1.2.250.1.213.1.4.10`;
    const patient = admit(t.host.careIndex, { id: 'p', ipp: '1', ins, unit: 'Urgences' });
    const identity = { status: 'QUAL' as const, birthFamilyName: p.birthFamilyName, givenNames: p.givenNames, birthDate: p.birthDate, sex: p.sex };
    const justification = 'Patient inconscient, polytraumatisé, aucun proche joignable';
    expect(await t.host.dispatch('dmp.status', { patient, identity }, ctx)).toMatchObject({ ok: true, value: { authorization: 'NON_EXISTE' } });
    expect(await t.host.dispatch('dmp.documents', { patient, identity, accessMode: 'bris_de_glace' }, ctx)).toMatchObject({ ok: false });
    expect(await t.host.dispatch('dmp.emergencyAccess', { patient, identity, mode: 'bris_de_glace', justification }, ctx)).toMatchObject({ ok: true });
    const list = await t.host.dispatch('dmp.documents', { patient, identity, accessMode: 'bris_de_glace' }, ctx);
    expect(list.ok).toBe(true);
    const dmp = (await t.host.journal.query({ type: 'dmp.*' })).entries;
    const search = dmp.filter((e) => e.type === 'dmp.search');
    expect(search.map((e) => e.outcome)).toEqual(['denied', 'success']);
    expect(search.at(-1)!.purposeOfUse).toEqual({ code: 'bris_de_glace', justification });
    expect(search.at(-1)!.patient).toEqual({ ipp: '1', ins });
  });
});
