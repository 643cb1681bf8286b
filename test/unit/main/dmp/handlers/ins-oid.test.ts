import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../../src/main/auth/demo';
import { loadPki } from '../../../../../src/main/auth/pki/pki';
import { startDmpSandbox, type DmpSandbox } from '../../../../../src/main/dmp/sandbox/server';
import { DEMO_DMP_PATIENTS } from '../../../../../src/shared/demo/dmp-patients';
import { INS_OID } from '../../../../../src/shared/ins/oids';
import { admit } from '../../../../support/care';
import { createTestHost, freshDataDir, type TestHost } from '../../../../support/host';

/**
 * A workstation configured for a production DMP (INS-NIR, OID 1.2.250.1.213.1.4.8): the legal
 * journal names the patient by that INS, not by the test one. Real host, real signed journal;
 * a sandbox stands in for the remote DMP at the configured URL.
 */
let sandbox: DmpSandbox;
let t: TestHost;
beforeAll(async () => {
  // Fresh data dirs copy one template: the sandbox trusts the host's establishment certificate.
  const pki = await loadPki(await freshDataDir());
  sandbox = await startDmpSandbox({ dataDir: await freshDataDir('empty'), trustedCertPems: [pki.establishment.certPem] });
  t = await createTestHost({ journal: true, config: { dmp: { servicesUrl: sandbox.servicesUrl } } });
}, 120_000);
afterAll(async () => {
  await t?.close();
  await sandbox?.close();
});

describe('the INS OID in the DMP journal', () => {
  it('a configured production DMP journals the patient as NIR@1.2.250.1.213.1.4.8', async () => {
    const doctor = DEMO_ACCOUNTS.find((a) => a.id === 'dr.martin')!;
    const ctx = { clientId: 'prod-dmp', transport: 'http' as const };
    expect((await t.host.dispatch('session.login', { userId: doctor.id, password: doctor.password }, ctx)).ok).toBe(true);
    const p = DEMO_DMP_PATIENTS.find((x) => x.scenario === 'consentement')!;
    const patient = admit(t.host.careIndex, { id: 'p-prod', ipp: 'IPP-PROD', ins: `${p.ins}@${INS_OID.NIR}`, unit: 'Cardiologie' });
    const identity = { status: 'QUAL' as const, birthFamilyName: p.birthFamilyName, givenNames: p.givenNames, birthDate: p.birthDate, sex: p.sex };
    expect(await t.host.dispatch('dmp.status', { patient, identity }, ctx)).toMatchObject({ ok: true, value: { environment: { test: false } } });
    const td02 = (await t.host.journal.query({ type: 'dmp.td02' })).entries;
    expect(td02).toHaveLength(1);
    expect(td02[0]!.patient?.ins).toBe(`${p.ins}@1.2.250.1.213.1.4.8`);
  });
});
