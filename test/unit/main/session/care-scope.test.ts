import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { admit } from '../../../support/care';
import { createTestHost, type TestHost } from '../../../support/host';

/**
 * Access decided from main's own care index, through the real dispatcher as a real signed-in
 * user, journalled in the real signed journal: the call names the patient by id and nothing else.
 */
let t: TestHost;
const doctor = DEMO_ACCOUNTS.find((a) => a.role === 'medecin')!; // Cardiologie
const QUAL_INS = '252077101484208@1.2.250.1.213.1.4.10';

beforeAll(async () => {
  t = await createTestHost({ journal: true, config: { lockAfterMs: 24 * 3_600_000 } });
  const now = t.clock.now();
  admit(t.host.careIndex, { id: 'p-cardio', ipp: '100000001', ins: QUAL_INS, unit: 'Cardiologie', now });
  admit(t.host.careIndex, { id: 'p-neuro', ipp: '100000002', ins: '185022B12345691@1.2.250.1.213.1.4.10', unit: 'Neurologie', now });
  admit(t.host.careIndex, { id: 'p-neuro-2', ipp: '100000003', unit: 'Neurologie', now });
  admit(t.host.careIndex, { id: 'p-29', ipp: '100000029', unit: 'Cardiologie', endedDaysAgo: 29, now });
  admit(t.host.careIndex, { id: 'p-31', ipp: '100000031', unit: 'Cardiologie', endedDaysAgo: 31, now });
});
afterAll(() => t.close());

let n = 0;
async function signedIn() {
  const ctx = { clientId: `care-${++n}`, transport: 'http' as const };
  expect(await t.host.dispatch('session.login', { userId: doctor.id, password: doctor.password }, ctx)).toMatchObject({ ok: true });
  return (method: string, input: unknown) => t.host.dispatch(method, input, ctx);
}
const lastEntry = async (type: string) => (await t.host.journal.query({ type, limit: 1000 })).entries.at(-1)!;

describe('patient scope from main’s care index', () => {
  it('a patient in care in the caller’s unit opens via the unit, journalled with the index’s IPP and INS', async () => {
    const d = await signedIn();
    expect(await d('record.openChart', { patient: { id: 'p-cardio' } })).toMatchObject({ ok: true, value: { granted: true, via: 'unit' } });
    expect(await lastEntry('chart.open')).toMatchObject({ agent: { userId: doctor.id }, patient: { ipp: '100000001', ins: QUAL_INS }, entity: { type: 'Patient', id: 'p-cardio' }, purposeOfUse: { code: 'normal' } });
  });

  it('a patient outside the caller’s units is refused and journalled, whatever the call claims', async () => {
    const d = await signedIn();
    // Forged units, IPP or INS do not reach the authorizer: the strict schema refuses the call.
    for (const forged of [{ units: ['Cardiologie'] }, { ipp: '100000001' }, { ins: QUAL_INS }]) {
      const r = await d('record.openChart', { patient: { id: 'p-neuro', ...forged } });
      expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('patient') } });
    }
    const r = await d('record.openChart', { patient: { id: 'p-neuro' } });
    expect(r).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: 'Ce patient n’est pas suivi dans vos unités. En cas de nécessité, utilisez l’accès exceptionnel (bris de glace).' } });
    expect(await lastEntry('access.denied')).toMatchObject({
      outcome: 'denied',
      agent: { userId: doctor.id },
      patient: { ipp: '100000002', ins: '185022B12345691@1.2.250.1.213.1.4.10' },
      entity: { type: 'Patient', id: 'p-neuro' },
      detail: { method: 'record.openChart', reason: 'scope' },
    });
    // The DMP is not reachable either, forged consent included.
    const identity = { status: 'QUAL', birthFamilyName: 'X', givenNames: 'Y', birthDate: '1980-01-01', sex: 'M' };
    expect(await d('dmp.consent', { patient: { id: 'p-neuro' }, identity, patientInformedAndConsents: true })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await lastEntry('access.denied')).toMatchObject({ detail: { method: 'dmp.consent', reason: 'scope' }, patient: { ipp: '100000002' } });
  });

  it('an unknown patient is refused and journalled', async () => {
    const d = await signedIn();
    const r = await d('record.openChart', { patient: { id: 'p-nowhere' } });
    expect(r).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: expect.stringMatching(/^Patient inconnu de ce poste/) } });
    const denied = await lastEntry('access.denied');
    expect(denied).toMatchObject({ entity: { type: 'Patient', id: 'p-nowhere' }, detail: { method: 'record.openChart', reason: 'unknown_patient' } });
    expect(denied.patient).toBeUndefined();
    expect(await d('session.breakGlassStart', { patient: { id: 'p-nowhere' }, reason: 'urgence_vitale', justification: 'Patient inconscient aux urgences' })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND', message: expect.stringMatching(/^Patient inconnu de ce poste/) },
    });
    expect(await lastEntry('access.denied')).toMatchObject({ detail: { method: 'session.breakGlassStart', reason: 'unknown_patient' } });
  });

  it('a stay ended 29 days ago still opens the chart; 31 days ago it takes a break-glass', async () => {
    const d = await signedIn();
    expect(await d('record.openChart', { patient: { id: 'p-29' } })).toMatchObject({ ok: true, value: { via: 'unit' } });
    expect(await d('record.openChart', { patient: { id: 'p-31' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await lastEntry('access.denied')).toMatchObject({ patient: { ipp: '100000031' }, detail: { reason: 'scope' } });
    // Two days later (a new sign-in: the idle lock has long passed) the 29-day stay has crossed the window too.
    t.clock.advance(2 * 86_400_000);
    const later = await signedIn();
    expect(await later('record.openChart', { patient: { id: 'p-29' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('a break-glass grant covers exactly its patient, and stores the index’s IPP and INS', async () => {
    const d = await signedIn();
    const started = await d('session.breakGlassStart', { patient: { id: 'p-neuro' }, reason: 'avis_specialise', justification: 'Avis cardiologique demandé en urgence' });
    expect(started).toMatchObject({ ok: true, value: { breakGlass: [{ patientId: 'p-neuro', ipp: '100000002' }] } });
    expect(await lastEntry('security.breakglass.start')).toMatchObject({ patient: { ipp: '100000002', ins: '185022B12345691@1.2.250.1.213.1.4.10' }, entity: { type: 'Patient', id: 'p-neuro' } });
    // A forged IPP or units on the start call are refused before anything opens.
    expect(await d('session.breakGlassStart', { patient: { id: 'p-neuro-2', ipp: '100000002' }, reason: 'autre', justification: 'Tentative de grant détourné' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

    expect(await d('record.openChart', { patient: { id: 'p-neuro' } })).toMatchObject({ ok: true, value: { via: 'break_glass' } });
    expect(await lastEntry('chart.open')).toMatchObject({ patient: { ipp: '100000002' }, purposeOfUse: { code: 'bris_de_glace_local', reason: 'avis_specialise' } });
    // Same unit, other patient: the grant does not cover them.
    expect(await d('record.openChart', { patient: { id: 'p-neuro-2' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await lastEntry('access.denied')).toMatchObject({ patient: { ipp: '100000003' }, detail: { reason: 'scope' } });
    expect(await d('record.reportAccess', { patient: { id: 'p-neuro-2' }, event: 'record.document.view' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    // Another sign-in of the same user holds no grant.
    const other = await signedIn();
    expect(await other('record.openChart', { patient: { id: 'p-neuro' } })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('the journal of these accesses verifies', async () => {
    await t.host.journal.checkpoint();
    const { verifyJournal } = await import('../../../../src/main/audit');
    expect(await verifyJournal(t.host.journal.dir, { certificatePem: t.host.pki.workstation.certPem })).toMatchObject({ ok: true });
  });
});
