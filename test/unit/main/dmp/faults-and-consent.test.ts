import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuditPort } from '../../../../src/main/host/audit-port';
import { createDmpiGateway } from '../../../../src/main/dmp/dmpi-adapter';
import { createDmpService, type DmpCaller } from '../../../../src/main/dmp/service';
import { INS_OID } from '../../../../src/shared/ins/oids';
import type { FaultMode } from '../../../../src/main/dmp/sandbox/server';
import { fixturePath, hasFixtures } from '../../../support/fixtures';
import { FIXTURE_INS, ctx, doctor, doctorNameId, secretary, startHarness, vihfConfig, type Harness, rejection } from './helpers';

describe.skipIf(!hasFixtures)('injected faults: clear French errors, nothing kept', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seedDir: fixturePath('cda') }, { transport: { callTimeoutMs: 300 } });
    h.sandbox.setAuthorization(FIXTURE_INS, doctorNameId, 'VALIDE');
  });
  afterAll(async () => h.close());

  const cases: [FaultMode, string, RegExp][] = [
    ['latency', 'DMP_TIMEOUT', /délai/],
    ['5xx', 'DMP_HTTP_ERROR', /indisponible/],
    ['soap-fault', 'DMP_SOAP_FAULT', /erreur/],
    ['reset', 'DMP_CONNECTION_RESET', /interrompue/],
    ['registry-error', 'XDSRegistryError', /registre/],
    ['xxe', 'DMP_XML_HOSTILE', /DTD/],
    ['billion-laughs', 'DMP_XML_HOSTILE', /DTD/],
  ];
  for (const [mode, code, msg] of cases) {
    it(`${mode} → ${code}`, async () => {
      h.sandbox.setFault(mode, mode === 'latency' ? 1000 : 0);
      try {
        const err = await rejection(h.gateway.findDocuments(ctx()));
        expect(err.code).toBe(code);
        expect(err.message).toMatch(msg);
      } finally {
        h.sandbox.setFault(undefined, 0);
      }
      expect((await h.gateway.findDocuments(ctx())).length).toBeGreaterThan(0);
    });
  }

  it('oversize (51 MB) → DMP_RESPONSE_TOO_LARGE at the 50 MB default cap', async () => {
    const gw = createDmpiGateway({ baseUrl: h.sandbox.servicesUrl, vihf: vihfConfig(), retries: 0 });
    h.sandbox.setFault('oversize');
    try {
      const err = await rejection(gw.getStatus(ctx()));
      expect(err.code).toBe('DMP_RESPONSE_TOO_LARGE');
      expect(err.message).toMatch(/50 Mo/);
    } finally {
      h.sandbox.setFault(undefined);
      gw.close();
    }
  });

  it('malformed MTOM on ITI-43 → DMP_MTOM_INVALID', async () => {
    const [e] = await h.gateway.findDocuments(ctx());
    h.sandbox.setFault('malformed-mtom');
    try {
      expect((await rejection(h.gateway.retrieve(ctx(), e!))).code).toBe('DMP_MTOM_INVALID');
    } finally {
      h.sandbox.setFault(undefined);
    }
  });

  it('duplicate uniqueId on ITI-41 → XDSDuplicateUniqueIdInRegistry (not retried)', async () => {
    const { readFileSync } = await import('node:fs');
    const cda = readFileSync(fixturePath('cda', 'LDL-SES_2022.01.xml'));
    const before = h.sandbox.store.state.entries.length;
    h.sandbox.setFault('duplicate-uniqueid');
    try {
      const err = await rejection(h.gateway.submit(ctx(), cda));
      expect(err.code).toBe('XDSDuplicateUniqueIdInRegistry');
    } finally {
      h.sandbox.setFault(undefined);
    }
    expect(h.sandbox.store.state.entries.length).toBe(before);
  });

  it('an unreachable DMP → DMP_UNREACHABLE', async () => {
    const gw = createDmpiGateway({ baseUrl: 'http://127.0.0.1:1/si-dmp-server/v2/services', vihf: vihfConfig(), retries: 0 });
    expect((await rejection(gw.getStatus(ctx()))).code).toBe('DMP_UNREACHABLE');
    gw.close();
  });

  it('a failed TD0.2 grants nothing: the document list stays refused and both calls are journaled', async () => {
    const audit = createMemoryAuditPort();
    const service = createDmpService({ gateway: h.gateway, audit, insOid: INS_OID.TEST_NIR });
    const caller: DmpCaller = { sessionId: 's-fault', user: doctor, patient: { ins: FIXTURE_INS }, accessMode: 'normal' };
    h.sandbox.setFault('5xx');
    try {
      expect((await rejection(service.checkStatus(caller))).code).toBe('DMP_HTTP_ERROR');
    } finally {
      h.sandbox.setFault(undefined);
    }
    expect((await rejection(service.findDocuments(caller))).code).toBe('DMP_CONSENT_REQUIRED');
    expect(audit.events.map((e) => [e.type, e.outcome])).toEqual([
      ['dmp.td02', 'failure'],
      ['dmp.search', 'denied'],
    ]);
  });
});

describe.skipIf(!hasFixtures)('consent enforcement in main', () => {
  let h: Harness;
  const audit = createMemoryAuditPort();
  let service: ReturnType<typeof createDmpService>;
  const caller = (over: Partial<DmpCaller> = {}): DmpCaller => ({ sessionId: 's1', user: doctor, patient: { ins: FIXTURE_INS, ipp: '1234567890121' }, accessMode: 'normal', ...over });
  beforeAll(async () => {
    h = await startHarness({ seedDir: fixturePath('cda') });
    service = createDmpService({ gateway: h.gateway, audit, insOid: INS_OID.TEST_NIR, clock: () => new Date('2025-01-01T10:00:00Z') });
  });
  afterAll(async () => h.close());

  it('refuses and records a direct document call without any grant, never adding an authorisation by itself', async () => {
    const err = await rejection(service.findDocuments(caller()));
    expect(err.code).toBe('DMP_CONSENT_REQUIRED');
    expect(err.message).toMatch(/consentement/);
    const last = audit.events.at(-1)!;
    expect(last).toMatchObject({ type: 'dmp.search', outcome: 'denied', patient: { ins: `${FIXTURE_INS}@1.2.250.1.213.1.4.10`, ipp: '1234567890121' }, purposeOfUse: { code: 'normal' } });
    const status = await service.checkStatus(caller());
    expect(status.authorization).toBe('NON_EXISTE');
    expect((await rejection(service.findDocuments(caller()))).code).toBe('DMP_CONSENT_REQUIRED');
    expect(h.sandbox.store.patient(FIXTURE_INS)!.authorizations[doctorNameId]).toBeUndefined();
    expect((await rejection(service.addAuthorization(caller(), { patientConsents: false }))).code).toBe('DMP_EXPLICIT_CONSENT_REQUIRED');
    expect(h.sandbox.store.patient(FIXTURE_INS)!.authorizations[doctorNameId]).toBeUndefined();
  });

  it('grants after explicit consent (TD0.3), serves documents, and forgets on clearSession', async () => {
    await service.addAuthorization(caller(), { patientConsents: true });
    expect((await service.findDocuments(caller())).length).toBe(3);
    const [first] = await service.findDocuments(caller());
    const doc = await service.retrieve(caller(), first!);
    expect(doc.content.length).toBeGreaterThan(1000);
    expect(service.currentAccess(caller())).toEqual({ mode: 'normal', source: 'td03_added' });
    service.clearSession('s1');
    expect((await rejection(service.findDocuments(caller()))).code).toBe('DMP_CONSENT_REQUIRED');
    const retrieveEvent = audit.events.find((e) => e.type === 'dmp.retrieve')!;
    expect(retrieveEvent).toMatchObject({ action: 'R', outcome: 'success', entity: { type: 'DocumentReference', id: first!.uniqueId } });
  });

  it('INTERDIT refuses everything, even break-glass', async () => {
    const blocked = { id: 'u-med-9', name: 'Max ROUX', role: 'medecin', rpps: '10005555555' };
    h.sandbox.setAuthorization(FIXTURE_INS, '810005555555', 'INTERDIT');
    const c = caller({ sessionId: 's2', user: blocked });
    expect((await service.checkStatus(c)).authorization).toBe('INTERDIT');
    expect((await rejection(service.addAuthorization(c, { patientConsents: true }))).code).toBe('DMP_AUTHORIZATION_FORBIDDEN');
    const bg = caller({ sessionId: 's2', user: blocked, accessMode: 'bris_de_glace', justification: 'Patient inconscient, arrêt cardio-respiratoire' });
    expect((await rejection(service.declareEmergencyAccess(bg))).code).toBe('DMP_AUTHORIZATION_FORBIDDEN');
    expect((await rejection(service.findDocuments(bg))).code).toBe('DMP_AUTHORIZATION_FORBIDDEN');
  });

  it('break-glass needs a justification and a doctor, is refused on opposition, and is recorded with its justification', async () => {
    const er = { id: 'u-urg-1', name: 'Inès FAURE', role: 'urgentiste', rpps: '10003333333' };
    const bg = (over: Partial<DmpCaller> = {}): DmpCaller => caller({ sessionId: 's3', user: er, accessMode: 'bris_de_glace', ...over });
    expect((await rejection(service.declareEmergencyAccess(bg({ justification: '' })))).code).toBe('DMP_JUSTIFICATION_REQUIRED');
    expect((await rejection(service.declareEmergencyAccess(bg({ user: { id: 'n1', name: 'IDE', role: 'infirmier' }, justification: 'Urgence vitale en cours' })))).code).toBe('DMP_ROLE_FORBIDDEN');
    h.sandbox.setOppositions(FIXTURE_INS, { brisDeGlace: true });
    expect((await rejection(service.declareEmergencyAccess(bg({ justification: 'Patient inconscient, polytraumatisé' })))).code).toBe('DMP_PATIENT_OPPOSED');
    h.sandbox.setOppositions(FIXTURE_INS, { brisDeGlace: false });
    await service.declareEmergencyAccess(bg({ justification: 'Patient inconscient, polytraumatisé' }));
    expect(service.currentAccess(bg())).toEqual({ mode: 'bris_de_glace', source: 'bris_de_glace' });
    expect((await service.findDocuments(bg({ justification: 'Patient inconscient, polytraumatisé' }))).length).toBeGreaterThan(0);
    // The grant is for break-glass: a "normal" call in this session is not covered.
    expect((await rejection(service.findDocuments(bg({ accessMode: 'normal' })))).code).toBe('DMP_CONSENT_REQUIRED');
    const declared = audit.events.find((e) => e.type === 'dmp.breakglass' && e.outcome === 'success')!;
    expect(declared.purposeOfUse).toEqual({ code: 'bris_de_glace', justification: 'Patient inconscient, polytraumatisé' });
  });

  it('centre 15 only for a regulation doctor, refused on opposition', async () => {
    const reg = { id: 'u-reg-1', name: 'Hugo BLANC', role: 'medecin', rpps: '10004444444' };
    const c15 = (over: Partial<DmpCaller> = {}): DmpCaller => caller({ sessionId: 's4', user: reg, accessMode: 'centre_15', ...over });
    expect((await rejection(service.declareEmergencyAccess(c15()))).code).toBe('DMP_ROLE_FORBIDDEN');
    h.sandbox.setOppositions(FIXTURE_INS, { centre15: true });
    expect((await rejection(service.declareEmergencyAccess(c15({ regulation: true })))).code).toBe('DMP_PATIENT_OPPOSED');
    h.sandbox.setOppositions(FIXTURE_INS, { centre15: false });
    await service.declareEmergencyAccess(c15({ regulation: true }));
    expect((await service.findDocuments(c15({ regulation: true }))).length).toBeGreaterThan(0);
  });

  it('secretaries submit but never read', async () => {
    const sec = caller({ sessionId: 's5', user: secretary });
    const read = await rejection(service.findDocuments(sec));
    expect(read.code).toBe('DMP_ROLE_FORBIDDEN');
    expect(read.message).toMatch(/secrétaires médicales/);
    expect((await rejection(service.checkStatus(sec))).code).toBe('DMP_ROLE_FORBIDDEN');
    const { makeDemoCda } = await import('../../../../src/main/dmp/sandbox/demo');
    const cda = makeDemoCda({ ins: FIXTURE_INS, given: 'D', family: 'PAT-TROIS', birthDate: '1979-03-01', sex: 'F' }, { loinc: '11490-0', display: 'LDL', title: 'Lettre de liaison', template: '1.2.250.1.213.1.1.1.29', level: 3, sectionTitle: 'Synthèse', lines: ['Retour à domicile.'] }, new Date());
    const r = await service.submit(sec, cda);
    expect(r.entryUUID).toMatch(/^urn:uuid:/);
    expect(audit.events.at(-1)).toMatchObject({ type: 'dmp.submit', action: 'C', outcome: 'success', agent: { role: 'secretaire_medicale' } });
  });

  it('rejects a malformed INS before any network call', async () => {
    const err = await rejection(service.checkStatus(caller({ patient: { ins: '12<x>' } })));
    expect(err.code).toBe('DMP_INVALID_INPUT');
  });
});
