import { readFileSync } from 'node:fs';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDmpiGateway } from '../../../../src/main/dmp/dmpi-adapter';
import { startDmpSandbox } from '../../../../src/main/dmp/sandbox/server';
import { makeDemoCda, makeLargeDemoCda, seedDemoPatients } from '../../../../src/main/dmp/sandbox/demo';
import { createSignedVihf } from '../../../../src/main/dmp/vihf';
import { signSubmissionSet } from '../../../../src/main/dmp/xades';
import { NS, descendants, parseXml } from '../../../../src/main/dmp/xml';
import { fixturePath, hasFixtures } from '../../../support/fixtures';
import { FIXTURE_INS, ctx, doctorNameId, makeEstablishmentPki, pki, secretary, startHarness, vihfConfig, type Harness, rejection } from './helpers';

const demoPatient = { ins: '180057512345628', given: 'Jean', family: 'DUPONT', birthDate: '1980-05-12', sex: 'M' as const };

describe.skipIf(!hasFixtures)('DMPi adapter against the sandbox over loopback', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ seedDir: fixturePath('cda') });
  });
  afterAll(async () => h.close());

  it('TD0.2 reports existence, status and oppositions; TD0.3 adds the authorisation', async () => {
    expect(await h.gateway.getStatus(ctx({ ins: '180000000000099' }))).toEqual({ exists: false, authorization: 'NON_EXISTE', oppositions: { brisDeGlace: false, centre15: false } });
    expect((await h.gateway.getStatus(ctx())).authorization).toBe('NON_EXISTE');
    expect((await rejection(h.gateway.findDocuments(ctx()))).code).toBe('DMP_ACCESS_DENIED');
    await h.gateway.addAuthorization(ctx());
    expect(await h.gateway.getStatus(ctx())).toEqual({ exists: true, authorization: 'VALIDE', oppositions: { brisDeGlace: false, centre15: false } });
  });

  it('ITI-18 returns typed entries derived from the seeded CDA headers', async () => {
    const entries = await h.gateway.findDocuments(ctx());
    expect(entries).toHaveLength(3);
    const ldl = entries.find((e) => e.typeCode?.code === '11490-0')!;
    expect(ldl.classCode?.code).toBe('10');
    expect(ldl.formatCode?.code).toBe('urn:asip:ci-sis:ldl-ses:2017');
    expect(ldl.creationTime).toBe('2019-12-03T12:30:00.000Z');
    expect(ldl.serviceStartTime).toBe('2019-10-29T10:17:00.000Z');
    expect(ldl.organisation).toBe('Hôpital Européen Georges Pompidou');
    expect(ldl.authors[0]!.person?.family).toBe('DAVID');
    expect(ldl.legalAuthenticator?.family).toBe('AUGUIN');
    expect(ldl.healthcareFacilityTypeCode?.code).toBe('SA01');
    expect(ldl.practiceSettingCode?.code).toBe('ETABLISSEMENT');
    expect(ldl.availabilityStatus).toBe('approved');
    expect(ldl.uniqueId).toBe('1.2.250.1.213.1.1.1.29.2022.1.1');
    expect(ldl.entryUUID).toMatch(/^urn:uuid:/);
    expect(ldl.repositoryUniqueId).toBe(h.sandbox.repositoryUniqueId);
    expect(ldl.size).toBe(readFileSync(fixturePath('cda', 'LDL-SES_2022.01.xml')).length);
    expect(ldl.hash).toMatch(/^[0-9a-f]{40}$/);
    expect(ldl.patientAuthored).toBe(false);
    const img = entries.find((e) => e.typeCode?.code === '18748-4')!;
    expect(img.classCode?.code).toBe('31');
    expect(img.formatCode?.code).toBe('urn:ihe:iti:xds-sd:pdf:2008');
    const bio = entries.find((e) => e.typeCode?.code === '11502-2')!;
    expect(bio.formatCode?.code).toBe('urn:ihe:lab:xd-lab:2008');
    const again = await h.gateway.getDocuments(ctx(), [ldl.entryUUID]);
    expect(again.map((e) => e.uniqueId)).toEqual([ldl.uniqueId]);
  });

  it('ITI-43 retrieves the exact bytes over MTOM', async () => {
    const [ldl] = (await h.gateway.findDocuments(ctx(), { typeCodes: ['11490-0'] }));
    const doc = await h.gateway.retrieve(ctx(), { repositoryUniqueId: ldl!.repositoryUniqueId, uniqueId: ldl!.uniqueId });
    expect(doc.content.equals(readFileSync(fixturePath('cda', 'LDL-SES_2022.01.xml')))).toBe(true);
    expect(doc.mimeType).toBe('text/xml');
    const missing = await rejection(h.gateway.retrieve(ctx(), { repositoryUniqueId: ldl!.repositoryUniqueId, uniqueId: '1.2.3.4.999' }));
    expect(missing.code).toBe('XDSDocumentUniqueIdError');
    expect(missing.message).toMatch(/n'existe pas/);
  });

  it('ITI-41 feeds a CDA with header metadata; a duplicate is refused; RPLC replaces', async () => {
    const patient = { ...demoPatient, ins: FIXTURE_INS };
    const cda = makeDemoCda(patient, { loinc: '11490-0', display: 'LDL', title: 'Lettre de liaison', template: '1.2.250.1.213.1.1.1.29', level: 3, sectionTitle: 'Synthèse', lines: ['Sortie à domicile.'] }, new Date(Date.UTC(2024, 2, 1, 9)));
    const r = await h.gateway.submit(ctx(), cda, { visibility: ['INVISIBLE_PATIENT'] });
    const [fed] = await h.gateway.getDocuments(ctx(), [r.entryUUID]);
    expect(fed!.visibility).toEqual(['INVISIBLE_PATIENT']);
    expect(fed!.creationTime).toBe('2024-03-01T09:00:00.000Z');
    const dup = await rejection(h.gateway.submit(ctx(), cda));
    expect(dup.code).toBe('XDSDuplicateUniqueIdInRegistry');
    expect(dup.message).toMatch(/déjà été envoyé/);
    const v2 = makeDemoCda(patient, { loinc: '11490-0', display: 'LDL', title: 'Lettre de liaison (corrigée)', template: '1.2.250.1.213.1.1.1.29', level: 3, sectionTitle: 'Synthèse', lines: ['Sortie en SSR.'] }, new Date(Date.UTC(2024, 2, 2, 9)));
    const r2 = await h.gateway.submit(ctx(), v2, { replaces: r.entryUUID });
    const all = await h.gateway.findDocuments(ctx());
    const old = all.find((e) => e.entryUUID === r.entryUUID)!;
    const neu = all.find((e) => e.entryUUID === r2.entryUUID)!;
    expect(old.availabilityStatus).toBe('deprecated');
    expect(old.replacedBy).toBe(r2.entryUUID);
    expect(neu.replaces).toBe(r.entryUUID);
    const wrongPatient = await rejection(h.gateway.submit(ctx({ ins: '180000000000099' }), v2));
    expect(wrongPatient.code).toBe('DMP_INVALID_INPUT');
  });

  it('ITI-57 masks a document to professionals (other establishments no longer see it)', async () => {
    const [bio] = await h.gateway.findDocuments(ctx(), { typeCodes: ['11502-2'] });
    const updated = await h.gateway.updateVisibility(ctx(), { entryUUID: bio!.entryUUID, maskedToProfessionals: true });
    expect(updated.visibility).toContain('MASQUE_PS');
    expect(updated.uniqueId).toBe(bio!.uniqueId);
    // The seeded document belongs to the sandbox's own structure: masked for everyone here.
    const after = await h.gateway.findDocuments(ctx(), { typeCodes: ['11502-2'] });
    expect(after).toHaveLength(0);
  });

  it('answers a hand-written ITI-41 (MTOM, CRLF, start/start-info, binary part) and a standard ITI-18', async () => {
    const vihf = createSignedVihf(ctx(), vihfConfig());
    const cda = makeDemoCda({ ...demoPatient, ins: FIXTURE_INS }, { loinc: '34874-8', display: 'CRO', title: 'Compte rendu opératoire', level: 3, sectionTitle: 'Intervention', lines: ['Appendicectomie.'] }, new Date(Date.UTC(2024, 4, 5)));
    const uid = /<id root="([^"]+)"/.exec(cda.toString())![1]!;
    const hdr = (action: string, to: string): string =>
      `<soap:Header><wsa:Action soap:mustUnderstand="true">${action}</wsa:Action><wsa:MessageID>urn:uuid:6f1d0c5e-1111-4a4a-9b9b-000000000001</wsa:MessageID><wsa:To>${to}</wsa:To><wsse:Security xmlns:wsse="${NS.wsse}">${vihf}</wsse:Security></soap:Header>`;
    const cx = `${FIXTURE_INS}^^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH`;
    const slot = (n: string, v: string): string => `<rim:Slot name="${n}"><rim:ValueList><rim:Value>${v}</rim:Value></rim:ValueList></rim:Slot>`;
    const cl = (scheme: string, code: string, sys: string, obj = 'Document01'): string => `<rim:Classification classificationScheme="${scheme}" classifiedObject="${obj}" nodeRepresentation="${code}" id="c${obj}${code.length}${scheme.slice(9, 13)}">${slot('codingScheme', sys)}<rim:Name><rim:LocalizedString value="${code}"/></rim:Name></rim:Classification>`;
    // The lot's XAdES signature, as a real DMP client sends it: its own document in the lot.
    const ssUid = '2.25.4242424242';
    const sigXml = Buffer.from(signSubmissionSet({ submissionSetUniqueId: ssUid, documents: [{ uniqueId: uid, content: cda }], ...pki() }));
    const soap =
      `<soap:Envelope xmlns:soap="${NS.soap}" xmlns:wsa="${NS.wsa}">${hdr('urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', `${h.sandbox.servicesUrl}/repository`)}<soap:Body>` +
      `<xds:ProvideAndRegisterDocumentSetRequest xmlns:xds="${NS.xds}" xmlns:lcm="${NS.lcm}" xmlns:rim="${NS.rim}"><lcm:SubmitObjectsRequest><rim:RegistryObjectList>` +
      `<rim:RegistryPackage id="SubmissionSet01">${slot('submissionTime', '20240505120000')}<rim:ExternalIdentifier identificationScheme="urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446" registryObject="SubmissionSet01" value="${cx}" id="e1"/><rim:ExternalIdentifier identificationScheme="urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8" registryObject="SubmissionSet01" value="${ssUid}" id="e0"/></rim:RegistryPackage>` +
      `<rim:ExtrinsicObject id="Document01" mimeType="text/xml" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">${slot('creationTime', '20240505000000')}${slot('languageCode', 'fr-FR')}${slot('sourcePatientId', cx)}<rim:Name><rim:LocalizedString value="CRO"/></rim:Name>` +
      cl('urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a', '10', '1.2.250.1.213.1.1.4.1') +
      cl('urn:uuid:f0306f51-975f-434e-a61c-c59651d33983', '34874-8', '2.16.840.1.113883.6.1') +
      cl('urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d', 'urn:ihe:iti:xds:2017:mimeTypeSufficient', '1.3.6.1.4.1.19376.1.2.3') +
      cl('urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f', 'N', '2.16.840.1.113883.5.25') +
      `<rim:ExternalIdentifier identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427" registryObject="Document01" value="${cx}" id="e2"/>` +
      `<rim:ExternalIdentifier identificationScheme="urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab" registryObject="Document01" value="${uid}" id="e3"/></rim:ExtrinsicObject>` +
      `<rim:ExtrinsicObject id="Signature01" mimeType="text/xml" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">${slot('creationTime', '20240505000000')}${slot('languageCode', 'art')}<rim:Name><rim:LocalizedString value="Source"/></rim:Name>` +
      cl('urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a', 'urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1', 'URN', 'Signature01') +
      cl('urn:uuid:f0306f51-975f-434e-a61c-c59651d33983', 'E1762', 'ASTM', 'Signature01') +
      cl('urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d', 'http://www.w3.org/2000/09/xmldsig#', 'URN', 'Signature01') +
      `<rim:ExternalIdentifier identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427" registryObject="Signature01" value="${cx}" id="e4"/>` +
      `<rim:ExternalIdentifier identificationScheme="urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab" registryObject="Signature01" value="${ssUid}.1" id="e5"/></rim:ExtrinsicObject>` +
      `<rim:Classification classifiedObject="SubmissionSet01" classificationNode="urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd" id="c9"/>` +
      `<rim:Association associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" sourceObject="SubmissionSet01" targetObject="Signature01" id="a2">${slot('SubmissionSetStatus', 'Original')}</rim:Association>` +
      `<rim:Association associationType="urn:ihe:iti:2007:AssociationType:signs" sourceObject="Signature01" targetObject="SubmissionSet01" id="a3"/>` +
      `<rim:Association associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" sourceObject="SubmissionSet01" targetObject="Document01" id="a1">${slot('SubmissionSetStatus', 'Original')}</rim:Association>` +
      `</rim:RegistryObjectList></lcm:SubmitObjectsRequest><xds:Document id="Document01"><xop:Include xmlns:xop="${NS.xop}" href="cid:doc1@client.example"/></xds:Document><xds:Document id="Signature01"><xop:Include xmlns:xop="${NS.xop}" href="cid:sig1@client.example"/></xds:Document></xds:ProvideAndRegisterDocumentSetRequest></soap:Body></soap:Envelope>`;
    const b = 'uuid:0a1b2c3d-real-client-boundary';
    const body = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <root.message@client.example>\r\n\r\n${soap}\r\n`),
      Buffer.from(`--${b}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc1@client.example>\r\n\r\n`),
      cda,
      Buffer.from(`\r\n--${b}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <sig1@client.example>\r\n\r\n`),
      sigXml,
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    const post = (service: string, contentType: string, payload: Buffer): Promise<{ status: number; body: string }> =>
      new Promise((resolve, reject) => {
        const req = http.request(`${h.sandbox.servicesUrl}/${service}`, { method: 'POST', headers: { 'Content-Type': contentType, 'Content-Length': payload.length } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.on('error', reject);
        req.end(payload);
      });
    const ct = `multipart/related; type="application/xop+xml"; boundary="${b}"; start="<root.message@client.example>"; start-info="application/soap+xml"; action="urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"`;
    // The same lot without its signature document is refused (TD2.1 requires the signed lot).
    const unsignedSoap = soap
      .replace(/<rim:ExtrinsicObject id="Signature01"[\s\S]*?<\/rim:ExtrinsicObject>/, '')
      .replace(/<rim:Association [^>]*targetObject="Signature01"[\s\S]*?<\/rim:Association>/, '')
      .replace(/<rim:Association [^>]*sourceObject="Signature01"[^>]*\/>/, '')
      .replace(/<xds:Document id="Signature01">[\s\S]*?<\/xds:Document>/, '');
    expect(unsignedSoap).not.toContain('Signature01');
    const unsignedBody = Buffer.concat([
      Buffer.from(`--${b}\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <root.message@client.example>\r\n\r\n${unsignedSoap}\r\n`),
      Buffer.from(`--${b}\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <doc1@client.example>\r\n\r\n`),
      cda,
      Buffer.from(`\r\n--${b}--\r\n`),
    ]);
    const unsigned = await post('repository', ct, unsignedBody);
    expect(unsigned.status).toBe(200);
    expect(unsigned.body).toContain('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure');
    expect(unsigned.body).toContain('SIGNATURE_LOT_INVALIDE');
    expect(h.sandbox.store.byUniqueId(uid)).toBeUndefined();

    const fed = await post('repository', ct, body);
    expect(fed.status).toBe(200);
    expect(fed.body).toContain('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');

    const query =
      `<soap:Envelope xmlns:soap="${NS.soap}" xmlns:wsa="${NS.wsa}">${hdr('urn:ihe:iti:2007:RegistryStoredQuery', `${h.sandbox.servicesUrl}/registry`)}<soap:Body>` +
      `<query:AdhocQueryRequest xmlns:query="${NS.query}" xmlns:rim="${NS.rim}"><query:ResponseOption returnComposedObjects="true" returnType="LeafClass"/>` +
      `<rim:AdhocQuery id="urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d">${slot('$XDSDocumentEntryPatientId', `'${cx}'`)}${slot('$XDSDocumentEntryStatus', "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')")}${slot('$XDSDocumentEntryTypeCode', "('34874-8^^2.16.840.1.113883.6.1')")}</rim:AdhocQuery></query:AdhocQueryRequest></soap:Body></soap:Envelope>`;
    const found = await post('registry', 'application/soap+xml; charset=UTF-8; action="urn:ihe:iti:2007:RegistryStoredQuery"', Buffer.from(query));
    expect(found.status).toBe(200);
    const doc = parseXml(found.body);
    const resp = descendants(doc, NS.query, 'AdhocQueryResponse')[0]!;
    expect(resp.getAttribute('status')).toBe('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success');
    const eos = descendants(doc, NS.rim, 'ExtrinsicObject');
    expect(eos).toHaveLength(1);
    expect(eos[0]!.getAttribute('id')).toMatch(/^urn:uuid:/);
    const uidOut = descendants(eos[0]!, NS.rim, 'ExternalIdentifier').find((e) => e.getAttribute('identificationScheme') === 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab');
    expect(uidOut!.getAttribute('value')).toBe(uid);
  });

  it('refuses secretaries reading, blocked professionals and opposed break-glass, like the DMP', async () => {
    expect((await rejection(h.gateway.findDocuments(ctx({ user: secretary })))).code).toBe('DMP_ACCESS_DENIED');
    const other = { id: 'u-med-2', name: 'Paul DURAND', role: 'medecin', rpps: '10009999999' };
    h.sandbox.setAuthorization(FIXTURE_INS, '810009999999', 'INTERDIT');
    expect((await h.gateway.getStatus(ctx({ user: other }))).authorization).toBe('INTERDIT');
    const blocked = await rejection(h.gateway.findDocuments(ctx({ user: other, accessMode: 'bris_de_glace' })));
    expect(blocked.code).toBe('DMP_ACCESS_DENIED');
    expect(blocked.message).toMatch(/interdit/);
    h.sandbox.setOppositions(FIXTURE_INS, { brisDeGlace: true });
    const third = { id: 'u-med-3', name: 'Léa PETIT', role: 'urgentiste', rpps: '10007777777' };
    const opposed = await rejection(h.gateway.findDocuments(ctx({ user: third, accessMode: 'bris_de_glace' })));
    expect(opposed.code).toBe('DMP_PATIENT_OPPOSED');
    h.sandbox.setOppositions(FIXTURE_INS, { brisDeGlace: false });
    expect((await h.gateway.findDocuments(ctx({ user: third, accessMode: 'bris_de_glace' }))).length).toBeGreaterThan(0);
    expect(doctorNameId).toBe('810001234567');
  });

  it('refuses a VIHF signed by an unknown certificate; lenient mode accepts it and opens a DMP on feeding', async () => {
    const stranger = makeEstablishmentPki('INCONNU');
    const gw = createDmpiGateway({ baseUrl: h.sandbox.servicesUrl, vihf: vihfConfig(stranger), retries: 0 });
    const err = await rejection(gw.getStatus(ctx()));
    expect(err.code).toBe('DMP_VIHF_REJECTED');
    gw.close();
    const lenient = await startHarness({ lenient: true, trustedCertPems: [] }, { vihf: vihfConfig(stranger) });
    try {
      const newcomer = { ...demoPatient, ins: '280017512345678' };
      const cda = makeDemoCda(newcomer, { loinc: '11502-2', display: 'Bio', title: 'Biologie', template: '1.3.6.1.4.1.19376.1.3.3', level: 3, sectionTitle: 'Résultats', lines: ['K+ 4,1'] }, new Date());
      expect((await lenient.gateway.getStatus(ctx({ ins: newcomer.ins }))).exists).toBe(false);
      await lenient.gateway.submit(ctx({ ins: newcomer.ins }), cda);
      expect((await lenient.gateway.getStatus(ctx({ ins: newcomer.ins }))).exists).toBe(true);
    } finally {
      await lenient.close();
    }
  });

  it('persists its data: a restarted sandbox serves the same documents', async () => {
    const before = h.sandbox.store.state.entries.length;
    const again = await startDmpSandbox({ dataDir: h.dataDir, trustedCertPems: [pki().certPem] });
    try {
      expect(again.store.state.entries.length).toBe(before);
      expect(again.store.patient(FIXTURE_INS)?.authorizations[doctorNameId]).toBe('VALIDE');
    } finally {
      await again.close();
    }
  });
});

describe('demo data', () => {
  it('generates a varied DMP for demo patients (PDF level 1, level 3, masked, archived, replaced, patient-authored)', async () => {
    const h = await startHarness();
    try {
      const n = await seedDemoPatients(h.sandbox, [demoPatient], { documentsPerPatient: 26 });
      expect(n).toBeGreaterThanOrEqual(26);
      h.sandbox.setAuthorization(demoPatient.ins, doctorNameId, 'VALIDE');
      const list = await h.gateway.findDocuments(ctx({ ins: demoPatient.ins }));
      expect(list.some((e) => e.formatCode?.code === 'urn:ihe:iti:xds-sd:pdf:2008')).toBe(true);
      expect(list.some((e) => e.formatCode?.code === 'urn:asip:ci-sis:ldl-ses:2017')).toBe(true);
      expect(list.some((e) => e.availabilityStatus === 'archived')).toBe(true);
      expect(list.some((e) => e.availabilityStatus === 'deprecated' && e.replacedBy)).toBe(true);
      expect(list.some((e) => e.patientAuthored)).toBe(true);
      expect(list.some((e) => e.visibility.includes('INVISIBLE_PATIENT'))).toBe(true);
      // Masked documents are invisible to other establishments but exist.
      expect(h.sandbox.store.state.entries.some((e) => e.meta.confidentialityCodes.some((c) => c.code === 'MASQUE_PS'))).toBe(true);
      const pdfEntry = list.find((e) => e.formatCode?.code === 'urn:ihe:iti:xds-sd:pdf:2008')!;
      const doc = await h.gateway.retrieve(ctx({ ins: demoPatient.ins }), pdfEntry);
      const b64 = /<text[^>]*>([^<]+)<\/text>/.exec(doc.content.toString())![1]!;
      expect(Buffer.from(b64, 'base64').subarray(0, 5).toString()).toBe('%PDF-');
      expect(makeLargeDemoCda(demoPatient).length).toBeGreaterThan(300_000);
    } finally {
      await h.close();
    }
  });
});
