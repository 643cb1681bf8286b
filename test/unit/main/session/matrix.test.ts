import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../../../src/main/auth/demo';
import { contract, METHOD_NAMES, type MethodInput, type MethodName } from '../../../../src/shared/bridge/contract';
import type { Role } from '../../../../src/shared/bridge/roles';
import { ROLES } from '../../../../src/shared/bridge/roles';
import { admit } from '../../../support/care';
import { createTestHost, type TestHost } from '../../../support/host';

/**
 * Walks the whole authorisation matrix against the host core: every role ×
 * every bridge method × a patient inside / outside the caller's units.
 */
let t: TestHost;
beforeAll(async () => {
  t = await createTestHost();
});
afterAll(() => t.close());

type Patient = { id: string };
let counter = 0;

/** One valid input per method; a new method without a sample does not compile. */
function sample(patient: Patient, unit: string): { [M in MethodName]: MethodInput<M> } {
  counter += 1;
  return {
    'app.info': {},
    'app.health': {},
    'app.echo': { text: 'x' },
    'session.status': {},
    'session.login': { userId: 'nobody', password: 'wrong-password' },
    'session.loginCertificate': { p12Base64: 'AAAA', pin: '0000' },
    'session.unlock': { secret: 'x' },
    'session.lock': { reason: 'manual' },
    'session.logout': { switchUser: false },
    'session.activity': {},
    'session.firstRun': { userId: 'root', displayName: 'Root', password: 'a-long-password-123' },
    'session.breakGlassStart': { patient, reason: 'urgence_vitale', justification: 'Patient inconscient aux urgences' },
    'session.breakGlassEnd': { patientId: patient.id },
    'users.list': {},
    'users.add': { id: `new.user${counter}`, displayName: 'Nouvel Utilisateur', role: 'infirmier', units: ['Cardiologie'], password: 'Un-mot-de-passe-long-1' },
    'users.disable': { id: 'nobody' },
    'users.enable': { id: 'nobody' },
    'users.resetPassword': { id: 'nobody', password: 'Un-mot-de-passe-long-2' },
    'users.assign': { id: 'nobody', role: 'infirmier', units: ['Cardiologie'] },
    'users.unlock': { id: 'nobody' },
    'users.issueCertificate': { id: 'nobody', pin: '123456' },
    'users.revokeCertificate': { id: 'nobody' },
    'record.openChart': { patient },
    'record.openIdentity': { patient },
    'record.reportAccess': { patient, event: 'record.document.view', entity: { type: 'DocumentReference', id: 'doc-1' } },
    'record.reportSearch': { query: 'dup' },
    'record.importFiles': {},
    'record.importFile': { name: 'absent.json' },
    'record.importDemo': { total: 1, first: 0 },
    'record.registerPatient': { created: { id: `pat-00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`, ipp: `7000${counter}` }, unit, provisional: false },
    'audit.query': { limit: 10 },
    'audit.verifyStart': {},
    'audit.verifyStatus': { jobId: 'unknown-job' },
    'audit.export': { from: '2026-01-01', to: '2026-12-31', format: 'jsonl' },
    'audit.accessReport': { patient: '800000001' },
    'audit.breakGlassEpisodes': {},
    'audit.reviewEpisode': { episodeId: 'local-999999', status: 'revu', comment: '' },
    // A non-qualified identity: main answers without reaching the DMP.
    'dmp.status': { patient, identity: { status: 'PROV' } },
    'dmp.consent': { patient, identity: { status: 'PROV' }, patientInformedAndConsents: true },
    'dmp.refuse': { patient, identity: { status: 'PROV' } },
    'dmp.emergencyAccess': { patient, identity: { status: 'PROV' }, mode: 'bris_de_glace', justification: 'Patient inconscient aux urgences' },
    'dmp.documents': { patient, identity: { status: 'PROV' }, accessMode: 'normal' },
    'dmp.retrieve': { patient, identity: { status: 'PROV' }, accessMode: 'normal', document: { uniqueId: '1.2.3', repositoryUniqueId: '1.2.4' } },
    'dmp.integrate': { patient, identity: { status: 'PROV' }, accessMode: 'normal', document: { uniqueId: '1.2.3', repositoryUniqueId: '1.2.4' } },
    'dmp.setVisibility': { patient, identity: { status: 'PROV' }, accessMode: 'normal', entryUUID: 'urn:uuid:x', invisibleToPatient: true },
    'sync.changes': { after: 0 },
    'sync.status': {},
    'record.allergy.add': { patient, substance: 'Pénicilline' },
    'record.treatment.add': { patient, medication: 'Paracétamol', dosage: '1 g x 3/j' },
    'record.problem.add': { patient, code: 'I21.0', label: 'Infarctus' },
    'record.note.add': { patient, text: 'Note' },
    'record.patient.create': { birthFamilyName: 'Essai', birthGivenNames: 'Anne', birthDate: '01/02/1980', sex: 'F' },
    'record.patient.createUnidentified': {},
    'record.identity.link': { patient, realId: 'pat-real' },
    'sync.outbox.list': {},
    'sync.outbox.retry': { id: '00000000-0000-4000-8000-000000000000' },
    'sync.conflict.resolve': { id: '00000000-0000-4000-8000-000000000000', keep: 'theirs' },
  };
}

/** The expectations people would state, independently of the contract's own lists. */
const EXPECTED: Partial<Record<MethodName, readonly Role[]>> = {
  'record.openChart': ['medecin', 'interne', 'urgentiste', 'infirmier'],
  'record.openIdentity': ['medecin', 'interne', 'urgentiste', 'infirmier', 'secretaire_medicale'],
  'record.reportAccess': ['medecin', 'interne', 'urgentiste', 'infirmier', 'secretaire_medicale'],
  'record.importDemo': ['medecin', 'interne', 'urgentiste', 'infirmier', 'secretaire_medicale'],
  'record.registerPatient': ['medecin', 'interne', 'urgentiste', 'infirmier', 'secretaire_medicale'],
  'users.list': ['admin'],
  'users.add': ['admin'],
  'session.breakGlassStart': ['medecin', 'interne', 'urgentiste', 'infirmier'],
  'audit.query': ['dpo'],
  'audit.export': ['dpo'],
  'audit.accessReport': ['dpo'],
  'audit.breakGlassEpisodes': ['dpo'],
  'audit.reviewEpisode': ['dpo'],
  'users.assign': ['admin'],
  'users.unlock': ['admin'],
  'users.issueCertificate': ['admin'],
  'users.revokeCertificate': ['admin'],
  'dmp.documents': ['medecin', 'interne', 'urgentiste', 'infirmier'],
  'dmp.retrieve': ['medecin', 'interne', 'urgentiste', 'infirmier'],
  'dmp.emergencyAccess': ['medecin', 'urgentiste'],
  'sync.changes': ['medecin', 'interne', 'urgentiste', 'infirmier', 'secretaire_medicale'],
  'record.note.add': ['medecin', 'interne', 'urgentiste', 'infirmier'],
  'record.allergy.add': ['medecin', 'interne', 'urgentiste', 'infirmier'],
  'record.patient.create': ['medecin', 'interne', 'urgentiste', 'infirmier', 'secretaire_medicale'],
  'sync.conflict.resolve': ['medecin', 'interne', 'urgentiste', 'infirmier', 'secretaire_medicale'],
};

const DENIAL_CODES = ['FORBIDDEN', 'UNAUTHENTICATED', 'LOCKED'];

describe('authorisation matrix', () => {
  it('agrees with the stated expectations', () => {
    for (const [m, roles] of Object.entries(EXPECTED)) {
      const access = contract[m as MethodName].access;
      expect(access === 'public' ? 'public' : [...access].sort(), m).toEqual([...roles].sort());
    }
  });

  for (const role of ROLES) {
    const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
    for (const where of ['in_unit', 'out_of_unit'] as const) {
      it(`${role} × every method × patient ${where}`, async () => {
        const clientId = `matrix-${role}-${where}`;
        const login = await t.host.dispatch('session.login', { userId: account.id, password: account.password }, { clientId, transport: 'ipc' });
        expect(login.ok).toBe(true);
        // Main's care index says where the patient is; the call names the patient by id only.
        const patient: Patient = admit(t.host.careIndex, { id: `pat-${role}-${where}`, ipp: '800000001', unit: where === 'in_unit' && account.units.length ? account.units[0]! : 'Unité sans rapport' });
        const inputs = sample(patient, account.units[0] ?? 'Cardiologie');
        for (const m of METHOD_NAMES) {
          // These change the session itself; they are covered by the session tests.
          if (['session.login', 'session.loginCertificate', 'session.lock', 'session.logout', 'session.unlock', 'session.firstRun', 'session.breakGlassStart'].includes(m)) continue;
          const spec = contract[m];
          const access: 'public' | readonly Role[] = spec.access;
          const roleOk = access === 'public' || access.includes(role);
          const scopeOk = spec.scope === 'none' || (where === 'in_unit' && account.units.length > 0);
          const before = t.audit.events.length;
          const r = await t.host.dispatch(m, inputs[m], { clientId, transport: 'ipc' });
          if (roleOk && scopeOk) {
            if (!r.ok) expect(DENIAL_CODES, `${role} ${m} ${where}: ${r.error.code} ${r.error.message}`).not.toContain(r.error.code);
          } else {
            expect(r.ok, `${role} ${m} ${where} should be denied`).toBe(false);
            // A DMP method names the DMP refusal; every other denial is the generic one.
            const expected = !roleOk && m.startsWith('dmp.') ? 'DMP_ROLE_FORBIDDEN' : 'FORBIDDEN';
            if (!r.ok) expect(r.error.code).toBe(expected);
            const denied = t.audit.events.slice(before).find((e) => e.type === 'access.denied');
            expect(denied, `${role} ${m} denial recorded`).toBeDefined();
            expect(denied!.outcome).toBe('denied');
            expect(denied!.agent?.userId).toBe(account.id);
            expect(denied!.detail?.method).toBe(m);
            expect(denied!.detail?.reason).toBe(roleOk ? 'scope' : 'role');
          }
        }
      });
    }
  }

  it('lets a clinician reach a patient outside their units only through break-glass, for that patient only', async () => {
    const clientId = 'matrix-bg';
    const doc = DEMO_ACCOUNTS.find((a) => a.role === 'medecin')!;
    await t.host.dispatch('session.login', { userId: doc.id, password: doc.password }, { clientId, transport: 'ipc' });
    const outside = admit(t.host.careIndex, { id: 'pat-out', ipp: '800000002', unit: 'Urgences' });
    const other = admit(t.host.careIndex, { id: 'pat-other', ipp: '800000003', unit: 'Urgences' });
    const ctx = { clientId, transport: 'ipc' as const };
    expect(await t.host.dispatch('record.openChart', { patient: outside }, ctx)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const bg = await t.host.dispatch('session.breakGlassStart', { patient: outside, reason: 'avis_specialise', justification: 'Avis cardiologique demandé en urgence' }, ctx);
    expect(bg.ok).toBe(true);
    expect(await t.host.dispatch('record.openChart', { patient: outside }, ctx)).toMatchObject({ ok: true, value: { via: 'break_glass' } });
    expect(await t.host.dispatch('record.openChart', { patient: other }, ctx)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const opened = t.audit.events.filter((e) => e.type === 'chart.open' && e.patient?.ipp === '800000002').at(-1)!;
    expect(opened.purposeOfUse).toEqual({ code: 'bris_de_glace_local', reason: 'avis_specialise', justification: 'Avis cardiologique demandé en urgence' });
  });
});
