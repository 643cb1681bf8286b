import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDmpService, type DmpCaller } from '../../../../src/main/dmp/service';
import { INS_OID } from '../../../../src/shared/ins/oids';
import { DEMO_KINDS, makeDemoCda } from '../../../../src/main/dmp/sandbox/demo';
import { createMemoryAuditPort } from '../../../../src/main/host/audit-port';
import { FIXTURE_INS, ctx, doctor, vihfConfig, type Harness, rejection, startAuthorisedHarness } from './helpers';

const patient = { ins: FIXTURE_INS, given: 'Marie', family: 'TEST', birthDate: '1979-03-05', sex: 'F' as const };
let day = 0;
const cda = (): Buffer => makeDemoCda(patient, DEMO_KINDS[0]!, new Date(Date.UTC(2024, 0, 1 + day++)));

describe('ITI-57 against the sandbox: metadata versions, archive, delete', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAuthorisedHarness();
  });
  afterAll(async () => h.close());

  it('a visibility update registers version 2 and keeps version 1, deprecated, as an XDS registry does', async () => {
    const fed = await h.gateway.submit(ctx(), cda());
    const [v1] = await h.gateway.getDocuments(ctx(), [fed.entryUUID]);
    expect(v1!.version ?? '1').toBe('1');
    const v2 = await h.gateway.updateVisibility(ctx(), { entryUUID: fed.entryUUID, invisibleToPatient: true });
    expect(v2.entryUUID).not.toBe(fed.entryUUID);
    expect(v2.version).toBe('2');
    expect(v2.logicalId).toBe(fed.entryUUID);
    // FindDocuments lists the document once, at its current version.
    const listed = (await h.gateway.findDocuments(ctx())).filter((e) => e.uniqueId === fed.uniqueId);
    expect(listed.map((e) => [e.entryUUID, e.version, e.availabilityStatus, e.visibility])).toEqual([[v2.entryUUID, '2', 'approved', ['INVISIBLE_PATIENT']]]);
    // The old version is still there, deprecated, reachable by its entryUUID.
    const [old] = await h.gateway.getDocuments(ctx(), [fed.entryUUID]);
    expect(old).toMatchObject({ availabilityStatus: 'deprecated', visibility: [], uniqueId: fed.uniqueId });
    expect(h.sandbox.store.state.entries.filter((e) => e.meta.uniqueId === fed.uniqueId)).toHaveLength(2);
    // Retrieval serves the document whatever the version.
    expect((await h.gateway.retrieve(ctx(), { repositoryUniqueId: v2.repositoryUniqueId, uniqueId: fed.uniqueId })).content.length).toBeGreaterThan(0);
    // Updating from a stale version is refused with a precise message, nothing changes.
    const stale = await rejection(h.gateway.updateVisibility(ctx(), { entryUUID: fed.entryUUID, invisibleToPatient: false }));
    expect(stale.message).toMatch(/modifié entre-temps|Actualisez/);
    expect((await h.gateway.getDocuments(ctx(), [v2.entryUUID]))[0]!.visibility).toEqual(['INVISIBLE_PATIENT']);
    const v3 = await h.gateway.updateVisibility(ctx(), { entryUUID: v2.entryUUID, invisibleToPatient: false });
    expect(v3.version).toBe('3');
  });

  it('TD3.3c archives and un-archives (status urn:asip:ci-sis:2010:StatusType:Archived)', async () => {
    const fed = await h.gateway.submit(ctx(), cda());
    const archived = await h.gateway.archive(ctx(), fed.entryUUID);
    expect(archived.availabilityStatus).toBe('archived');
    const stored = h.sandbox.store.byEntryUUID(fed.entryUUID)!;
    expect(stored.meta.status).toBe('archived');
    expect((await h.gateway.findDocuments(ctx(), { statuses: ['approved'] })).some((e) => e.entryUUID === fed.entryUUID)).toBe(false);
    expect((await h.gateway.findDocuments(ctx(), { statuses: ['archived'] })).map((e) => e.entryUUID)).toContain(fed.entryUUID);
    const twice = await rejection(h.gateway.archive(ctx(), fed.entryUUID));
    expect(twice.code).toBe('DMP_INVALID_INPUT');
    expect(twice.message).toMatch(/archivé/);
    expect((await h.gateway.unarchive(ctx(), fed.entryUUID)).availabilityStatus).toBe('approved');
    expect(h.sandbox.store.byEntryUUID(fed.entryUUID)!.meta.status).toBe('approved');
  });

  it('TD3.3d deletes for the author only (status Deleted): gone from lists and retrieval', async () => {
    const mine = await h.gateway.submit(ctx(), cda());
    const foreign = h.sandbox.addDocument(cda(), { authorStructure: 'AUTRE-ETABLISSEMENT' });
    const refused = await rejection(h.gateway.deleteDocument(ctx(), foreign.meta.entryUUID));
    expect(refused.code).toBe('DMP_NOT_AUTHOR');
    expect(refused.message).toMatch(/auteur/);
    expect(h.sandbox.store.byEntryUUID(foreign.meta.entryUUID)!.meta.status).toBe('approved');
    await h.gateway.deleteDocument(ctx(), mine.entryUUID);
    expect(h.sandbox.store.byEntryUUID(mine.entryUUID)!.meta.status).toBe('deleted');
    const all = await h.gateway.findDocuments(ctx(), { statuses: ['approved', 'deprecated', 'archived', 'deleted'] });
    expect(all.some((e) => e.entryUUID === mine.entryUUID)).toBe(false);
    expect(await h.gateway.getDocuments(ctx(), [mine.entryUUID])).toEqual([]);
    const gone = await rejection(h.gateway.retrieve(ctx(), { repositoryUniqueId: h.sandbox.repositoryUniqueId, uniqueId: mine.uniqueId }));
    expect(gone.code).toBe('XDSDocumentUniqueIdError');
    expect((await rejection(h.gateway.deleteDocument(ctx(), mine.entryUUID))).code).toBe('XDSMissingDocument');
  });

  it('the service requires a grant and journals archive / delete with their outcome', async () => {
    const audit = createMemoryAuditPort();
    const service = createDmpService({ gateway: h.gateway, audit, insOid: INS_OID.TEST_NIR });
    const caller: DmpCaller = { sessionId: 's-upd', user: doctor, patient: { ins: FIXTURE_INS }, accessMode: 'normal' };
    const fed = await h.gateway.submit(ctx(), cda());
    expect((await rejection(service.archive(caller, fed.entryUUID))).code).toBe('DMP_CONSENT_REQUIRED');
    await service.checkStatus(caller);
    await service.archive(caller, fed.entryUUID);
    const foreign = h.sandbox.addDocument(cda(), { authorStructure: 'AUTRE-ETABLISSEMENT' });
    expect((await rejection(service.deleteDocument(caller, foreign.meta.entryUUID))).code).toBe('DMP_NOT_AUTHOR');
    await service.deleteDocument(caller, fed.entryUUID);
    expect(audit.events.map((e) => [e.type, e.action, e.outcome])).toEqual([
      ['dmp.archive', 'U', 'denied'],
      ['dmp.td02', 'R', 'success'],
      ['dmp.archive', 'U', 'success'],
      ['dmp.delete', 'D', 'denied'],
      ['dmp.delete', 'D', 'success'],
    ]);
    expect(audit.events.at(-1)).toMatchObject({ entity: { type: 'DocumentReference', id: fed.entryUUID } });
    expect(vihfConfig().structureId).toBe('11750000000');
  });
});
