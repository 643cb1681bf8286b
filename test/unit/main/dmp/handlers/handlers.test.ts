import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DmpEntry, DmpRetrieved, DmpStatusView } from '../../../../../src/shared/bridge/methods-dmp';
import { dmpMethods } from '../../../../../src/shared/bridge/methods-dmp';
import { parseCda } from '../../../../../src/shared/cda';
import { admit } from '../../../../support/care';
import { byScenario, demoAccount, demoIns, demoPatient, expectOk, startDmpHarness, type DmpHarness } from './harness';

let h: DmpHarness;
beforeAll(async () => {
  h = await startDmpHarness();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const types = (from: number) => h.audit.events.slice(from).map((e) => `${e.type}:${e.outcome}`);

/**
 * Each test signs in its own renderer, so none depends on another's order; the tests that need open access use
 * the patient whose DMP already holds a valid authorisation (the consent flow itself is one test, on another patient).
 */
async function authorisedDoctor(clientId: string) {
  await h.login(clientId, 'medecin');
  const p = demoPatient(h.host, 'autorisation-valide');
  expect(expectOk<DmpStatusView>(await h.call(clientId, 'dmp.status', p))).toMatchObject({ authorization: 'VALIDE', access: { mode: 'normal' } });
  return p;
}

describe('DMP bridge against the embedded sandbox', () => {
  it('opening the DMP calls TD0.2 only, nothing is readable before consent, which needs the explicit confirmation and then grants the list and the documents', async () => {
    await h.login('c-consent', 'medecin');
    const p = demoPatient(h.host, 'consentement');
    const from = h.audit.events.length;
    const status = expectOk<DmpStatusView>(await h.call('c-consent', 'dmp.status', p));
    expect(status).toMatchObject({ insQualified: true, exists: true, authorization: 'NON_EXISTE', access: null, environment: { test: true, label: 'DMP de test' } });
    expect(types(from)).toEqual(['dmp.td02:success']);

    const denied = await h.call('c-consent', 'dmp.documents', { ...p, accessMode: 'normal' });
    expect(denied).toMatchObject({ ok: false, error: { code: 'DMP_CONSENT_REQUIRED' } });
    expect(types(from).at(-1)).toBe('dmp.search:denied');

    // Consent needs the explicit confirmation, then TD0.3 grants the list and the documents.
    expect(await h.call('c-consent', 'dmp.consent', p)).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(await h.call('c-consent', 'dmp.consent', { ...p, patientInformedAndConsents: false })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const granted = expectOk<{ access: { mode: string; source: string } }>(await h.call('c-consent', 'dmp.consent', { ...p, patientInformedAndConsents: true }));
    expect(granted.access).toEqual({ mode: 'normal', source: 'td03_added' });
    expect(h.audit.events.at(-1)).toMatchObject({ type: 'dmp.td03', outcome: 'success', patient: { ins: demoIns('consentement') } });

    const { entries } = expectOk<{ entries: DmpEntry[] }>(await h.call('c-consent', 'dmp.documents', { ...p, accessMode: 'normal' }));
    expect(entries.length).toBeGreaterThan(5);
    // The list carries every state the panel filters on.
    const statuses = new Set(entries.map((e) => e.availabilityStatus));
    expect(statuses.has('approved')).toBe(true);
    expect(entries.some((e) => e.availabilityStatus === 'deprecated' && e.replacedBy)).toBe(true);
    expect(entries.some((e) => e.visibility.includes('MASQUE_PS'))).toBe(true);
    expect(entries.every((e) => e.typeCode?.code && e.creationTime && e.author)).toBe(true);

    // A level-3 and a level-1 document come back as CDA text, readable by the shared parser.
    const level3 = entries.find((e) => e.typeCode?.code === '11490-0' && e.availabilityStatus === 'approved')!;
    const level1 = entries.find((e) => e.typeCode?.code === '34874-8' && e.availabilityStatus === 'approved')!;
    for (const [entry, level] of [[level3, 3], [level1, 1]] as const) {
      const doc = expectOk<DmpRetrieved>(await h.call('c-consent', 'dmp.retrieve', { ...p, accessMode: 'normal', document: { uniqueId: entry.uniqueId, repositoryUniqueId: entry.repositoryUniqueId } }));
      expect(doc.encoding).toBe('text');
      const parsed = parseCda(doc.content);
      expect(parsed.ok && parsed.document.level).toBe(level);
      expect(h.audit.events.at(-1)).toMatchObject({ type: 'dmp.retrieve', outcome: 'success', entity: { type: 'DocumentReference', id: entry.uniqueId } });
    }
  });

  it('a document operation in another access mode than the grant is refused', async () => {
    const p = await authorisedDoctor('c-mode');
    expectOk(await h.call('c-mode', 'dmp.documents', { ...p, accessMode: 'normal' }));
    const r = await h.call('c-mode', 'dmp.documents', { ...p, accessMode: 'bris_de_glace' });
    expect(r).toMatchObject({ ok: false, error: { code: 'DMP_CONSENT_REQUIRED' } });
  });

  it('integrating checks the identity traits and journals the copy', async () => {
    const p = await authorisedDoctor('c-integrate');
    const { entries } = expectOk<{ entries: DmpEntry[] }>(await h.call('c-integrate', 'dmp.documents', { ...p, accessMode: 'normal' }));
    const e = entries.find((x) => x.availabilityStatus === 'approved' && !x.visibility.includes('MASQUE_PS') && !x.patientAuthored)!;
    const ref = { uniqueId: e.uniqueId, repositoryUniqueId: e.repositoryUniqueId };
    const wrong = await h.call('c-integrate', 'dmp.integrate', { ...p, identity: { ...p.identity, birthDate: '1999-01-01' }, accessMode: 'normal', document: ref });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'DMP_PATIENT_MISMATCH' } });
    expect(h.audit.events.at(-1)).toMatchObject({ type: 'dmp.integrate', outcome: 'denied' });
    const done = expectOk<DmpRetrieved & { seq: number }>(await h.call('c-integrate', 'dmp.integrate', { ...p, accessMode: 'normal', document: ref }));
    expect(done.content).toContain('ClinicalDocument');
    expect(h.audit.events.at(-1)).toMatchObject({ type: 'dmp.integrate', action: 'C', outcome: 'success', seq: done.seq, entity: { id: e.uniqueId } });
  });

  it('a refusal is recorded and reads nothing', async () => {
    await h.login('c-refuse', 'medecin');
    const p = demoPatient(h.host, 'opposition-bris-de-glace');
    expectOk(await h.call('c-refuse', 'dmp.status', p));
    const r = expectOk<{ seq: number }>(await h.call('c-refuse', 'dmp.refuse', p));
    expect(h.audit.events[r.seq]).toMatchObject({ type: 'dmp.consent.refused', outcome: 'success', detail: { documentsRead: 0 } });
    expect(await h.call('c-refuse', 'dmp.documents', { ...p, accessMode: 'normal' })).toMatchObject({ ok: false, error: { code: 'DMP_CONSENT_REQUIRED' } });
  });

  it('a VALIDE authorisation opens the list at once', async () => {
    await h.login('c-valide', 'medecin');
    const p = demoPatient(h.host, 'autorisation-valide');
    const s = expectOk<DmpStatusView>(await h.call('c-valide', 'dmp.status', p));
    expect(s).toMatchObject({ authorization: 'VALIDE', access: { mode: 'normal', source: 'td02_valide' }, oppositions: { centre15: true } });
    expectOk(await h.call('c-valide', 'dmp.documents', { ...p, accessMode: 'normal' }));
  });

  it('a professional blocked by the patient is refused whatever happens', async () => {
    await h.login('c-blocked', 'urgentiste');
    const p = demoPatient(h.host, 'professionnel-bloque', 'Urgences');
    expect(expectOk<DmpStatusView>(await h.call('c-blocked', 'dmp.status', p))).toMatchObject({ authorization: 'INTERDIT', access: null });
    expect(await h.call('c-blocked', 'dmp.consent', { ...p, patientInformedAndConsents: true })).toMatchObject({ ok: false, error: { code: 'DMP_AUTHORIZATION_FORBIDDEN' } });
    const bg = await h.call('c-blocked', 'dmp.emergencyAccess', { ...p, mode: 'bris_de_glace', justification: 'Patient inconscient, polytraumatisé' });
    expect(bg).toMatchObject({ ok: false, error: { code: 'DMP_AUTHORIZATION_FORBIDDEN' } });
    expect(await h.call('c-blocked', 'dmp.documents', { ...p, accessMode: 'bris_de_glace' })).toMatchObject({ ok: false });
  });

  it('break-glass: justification required, opposition honoured, then access in that mode only', async () => {
    await h.login('c-urg', 'urgentiste');
    const opposed = demoPatient(h.host, 'opposition-bris-de-glace', 'Urgences');
    expect(await h.call('c-urg', 'dmp.emergencyAccess', { ...opposed, mode: 'bris_de_glace', justification: 'Patient inconscient, polytraumatisé' })).toMatchObject({
      ok: false,
      error: { code: 'DMP_PATIENT_OPPOSED' },
    });
    const p = demoPatient(h.host, 'consentement', 'Urgences');
    expect(await h.call('c-urg', 'dmp.emergencyAccess', { ...p, mode: 'bris_de_glace', justification: 'court' })).toMatchObject({ ok: false, error: { code: 'DMP_JUSTIFICATION_REQUIRED' } });
    const ok = expectOk<{ access: { mode: string } }>(await h.call('c-urg', 'dmp.emergencyAccess', { ...p, mode: 'bris_de_glace', justification: 'Patient inconscient, polytraumatisé' }));
    expect(ok.access.mode).toBe('bris_de_glace');
    expect(h.audit.events.at(-1)).toMatchObject({ type: 'dmp.breakglass', outcome: 'success', purposeOfUse: { code: 'bris_de_glace', justification: 'Patient inconscient, polytraumatisé' } });
    expect(await h.call('c-urg', 'dmp.documents', { ...p, accessMode: 'normal' })).toMatchObject({ ok: false, error: { code: 'DMP_CONSENT_REQUIRED' } });
    expectOk(await h.call('c-urg', 'dmp.documents', { ...p, accessMode: 'bris_de_glace' }));
    expect(h.audit.events.at(-1)).toMatchObject({ type: 'dmp.search', purposeOfUse: { code: 'bris_de_glace' } });
    // The status shows the grant, so the panel keeps the red banner after a reload.
    expect(expectOk<DmpStatusView>(await h.call('c-urg', 'dmp.status', p))).toMatchObject({ access: { mode: 'bris_de_glace', source: 'bris_de_glace' } });
    // Centre 15 is for regulation posts only.
    expect(await h.call('c-urg', 'dmp.emergencyAccess', { ...p, mode: 'centre_15' })).toMatchObject({ ok: false, error: { code: 'DMP_ROLE_FORBIDDEN' } });
  });

  it('interns and nurses cannot declare emergency access; secretaries cannot call the DMP at all', async () => {
    expect(dmpMethods['dmp.emergencyAccess'].access).not.toContain('interne');
    expect(dmpMethods['dmp.emergencyAccess'].access).not.toContain('infirmier');
    for (const m of Object.values(dmpMethods)) expect(m.access).not.toContain('secretaire_medicale');
    await h.login('c-sec', 'secretaire_medicale');
    const p = demoPatient(h.host, 'autorisation-valide');
    // The DMP's own refusal reaches the user, not the generic "Votre rôle ne permet pas cette action."
    expect(await h.call('c-sec', 'dmp.status', p)).toEqual({
      ok: false,
      error: { code: 'DMP_ROLE_FORBIDDEN', message: 'Les secrétaires médicales ne consultent pas le contenu du DMP : cette action est réservée aux professionnels de santé.' },
    });
    expect(h.audit.events.at(-1)).toMatchObject({ type: 'access.denied', agent: { userId: 'sec.bernard' }, detail: { method: 'dmp.status', reason: 'role' } });
    // Defence in depth: even reached directly, the consent service refuses a secretary.
    const service = await h.runtime.service();
    const sec = demoAccount('secretaire_medicale');
    const direct = { sessionId: 'direct', user: { id: sec.id, name: sec.displayName, role: sec.role }, patient: { ins: byScenario('autorisation-valide').ins }, accessMode: 'normal' as const };
    await expect(service.findDocuments(direct)).rejects.toMatchObject({ code: 'DMP_ROLE_FORBIDDEN' });
  });

  it('a nurse asking for emergency access is told why, for the mode asked', async () => {
    await h.login('c-inf', 'infirmier');
    const p = demoPatient(h.host, 'consentement');
    expect(await h.call('c-inf', 'dmp.emergencyAccess', { ...p, mode: 'bris_de_glace', justification: 'Patient inconscient, polytraumatisé' })).toEqual({
      ok: false,
      error: { code: 'DMP_ROLE_FORBIDDEN', message: "Votre rôle ne permet pas l'accès en mode bris de glace (réservé aux médecins)." },
    });
    expect(await h.call('c-inf', 'dmp.emergencyAccess', { ...p, mode: 'centre_15' })).toEqual({
      ok: false,
      error: { code: 'DMP_ROLE_FORBIDDEN', message: "L'accès en mode centre 15 est réservé aux médecins régulateurs du SAMU." },
    });
  });

  it('an identity that is not qualified never reaches the DMP', async () => {
    await h.login('c-prov', 'medecin');
    const p = demoPatient(h.host, 'autorisation-valide', 'Cardiologie', 'VALI');
    const from = h.audit.events.length;
    expect(expectOk<DmpStatusView>(await h.call('c-prov', 'dmp.status', p))).toEqual({ insQualified: false, identityStatus: 'VALI', environment: { test: true, label: 'DMP de test' } });
    expect(types(from)).toEqual(['dmp.access:denied']);
    // An INS added to the call is refused by the strict schema; claiming QUAL does not qualify an identity main's index does not.
    const sneaky = { ...p, patient: { ...p.patient, ins: demoIns('autorisation-valide') } };
    expect(await h.call('c-prov', 'dmp.documents', { ...sneaky, accessMode: 'normal' })).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const claimsQual = { ...p, identity: { ...p.identity, status: 'QUAL' } };
    expect(await h.call('c-prov', 'dmp.documents', { ...claimsQual, accessMode: 'normal' })).toMatchObject({ ok: false, error: { code: 'DMP_INS_NOT_QUALIFIED', message: expect.stringContaining('n’est pas qualifiée sur ce poste') } });
    expect(await h.call('c-prov', 'dmp.status', claimsQual)).toMatchObject({ ok: false, error: { code: 'DMP_INS_NOT_QUALIFIED' } });
    expect(types(from)).toEqual(['dmp.access:denied', 'dmp.access:denied', 'dmp.access:denied']);
    expect(h.audit.events.at(-1)).toMatchObject({ patient: { ipp: `IPP-${byScenario('autorisation-valide').ins.slice(0, 6)}` } });
    expect(h.audit.events.at(-1)!.patient).not.toHaveProperty('ins');
  });

  it('the sandbox accepts test INS only: the INS main holds decides', async () => {
    await h.login('c-oid', 'medecin');
    const p = demoPatient(h.host, 'autorisation-valide');
    const real = admit(h.host.careIndex, { id: 'pat-prod-oid', ipp: 'IPP-PROD', ins: demoIns('autorisation-valide').replace(/@.*$/, '@1.2.250.1.213.1.4.8'), unit: 'Cardiologie' });
    expect(await h.call('c-oid', 'dmp.status', { ...p, patient: real })).toMatchObject({ ok: false, error: { code: 'DMP_INS_OID_REFUSED' } });
  });

  it('a patient without a DMP is told apart', async () => {
    await h.login('c-none', 'medecin');
    const s = expectOk<DmpStatusView>(await h.call('c-none', 'dmp.status', demoPatient(h.host, 'sans-dmp')));
    expect(s).toMatchObject({ insQualified: true, exists: false });
    expect(await h.call('c-none', 'dmp.consent', { ...demoPatient(h.host, 'sans-dmp'), patientInformedAndConsents: true })).toMatchObject({ ok: false, error: { code: 'DMP_NO_DMP' } });
  });

  it('a patient outside the caller’s units is refused by scope', async () => {
    await h.login('c-scope', 'medecin');
    const p = demoPatient(h.host, 'consentement', 'Pneumologie');
    expect(await h.call('c-scope', 'dmp.status', p)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('lock and sign-out drop every DMP grant of the renderer', async () => {
    await h.login('c-lock', 'urgentiste');
    const p = demoPatient(h.host, 'consentement', 'Urgences');
    expectOk(await h.call('c-lock', 'dmp.emergencyAccess', { ...p, mode: 'bris_de_glace', justification: 'Patient inconscient, polytraumatisé' }));
    expectOk(await h.call('c-lock', 'dmp.documents', { ...p, accessMode: 'bris_de_glace' }));
    await h.sessions.lock('c-lock', 'manual');
    expect(await h.call('c-lock', 'dmp.documents', { ...p, accessMode: 'bris_de_glace' })).toMatchObject({ ok: false, error: { code: 'LOCKED' } });
    const a = (await import('../../../../../src/main/auth/demo')).DEMO_ACCOUNTS.find((x) => x.role === 'urgentiste')!;
    await h.sessions.unlock('c-lock', a.password);
    expect(await h.call('c-lock', 'dmp.documents', { ...p, accessMode: 'bris_de_glace' })).toMatchObject({ ok: false, error: { code: 'DMP_CONSENT_REQUIRED' } });
    // A new sign-in on the same renderer never inherits the previous one's grants.
    expectOk(await h.call('c-lock', 'dmp.emergencyAccess', { ...p, mode: 'bris_de_glace', justification: 'Patient inconscient, polytraumatisé' }));
    await h.login('c-lock', 'urgentiste');
    expect(await h.call('c-lock', 'dmp.documents', { ...p, accessMode: 'bris_de_glace' })).toMatchObject({ ok: false, error: { code: 'DMP_CONSENT_REQUIRED' } });
  });
});

describe('centre 15 on a regulation workstation', () => {
  let r: DmpHarness;
  beforeAll(async () => {
    r = await startDmpHarness({ regulation: true });
  }, 120_000);
  afterAll(async () => {
    await r?.close();
  });

  it('opens centre-15 access unless the patient opposed it', async () => {
    await r.login('c-15', 'urgentiste');
    const opposed = demoPatient(r.host, 'autorisation-valide', 'Urgences');
    expect(await r.call('c-15', 'dmp.emergencyAccess', { ...opposed, mode: 'centre_15' })).toMatchObject({ ok: false, error: { code: 'DMP_PATIENT_OPPOSED' } });
    const p = demoPatient(r.host, 'consentement', 'Urgences');
    expect(expectOk<{ access: { mode: string } }>(await r.call('c-15', 'dmp.emergencyAccess', { ...p, mode: 'centre_15' })).access.mode).toBe('centre_15');
    expect(r.audit.events.at(-1)).toMatchObject({ type: 'dmp.centre15', outcome: 'success', purposeOfUse: { code: 'centre_15' } });
    expectOk(await r.call('c-15', 'dmp.documents', { ...p, accessMode: 'centre_15' }));
  });
});
