import { X509Certificate, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { C14nCanonicalizationWithComments, SignedXml } from 'xml-crypto';
import { createDmpiGateway } from '../../../../src/main/dmp/dmpi-adapter';
import { makeDemoCda } from '../../../../src/main/dmp/sandbox/demo';
import { SIGNATURE_DOC, XADES_NS, signSubmissionSet, verifySubmissionSignature } from '../../../../src/main/dmp/xades';
import { NS, descendants, parseXml, serialize, text } from '../../../../src/main/dmp/xml';
import { FIXTURE_INS, ctx, makeEstablishmentPki, pki, startHarness, vihfConfig, type Harness, rejection, startAuthorisedHarness } from './helpers';

const patient = { ins: FIXTURE_INS, given: 'Marie', family: 'TEST', birthDate: '1979-03-05', sex: 'F' as const };
const kind = { loinc: '11490-0', display: 'LDL', title: 'Lettre de liaison', template: '1.2.250.1.213.1.1.1.29', level: 3 as const, sectionTitle: 'Synthèse', lines: ['Retour à domicile.'] };

describe('XAdES-BES signature of the submission set', () => {
  const docs = [{ uniqueId: '1.2.250.1.999.1.2.3', content: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"/>') }];
  const expected = { submissionSetUniqueId: '2.25.77', documents: docs, trustedCertPems: [pki().certPem] };
  const signed = (): string => signSubmissionSet({ submissionSetUniqueId: '2.25.77', documents: docs, ...pki(), signingTime: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) });

  it('is an XML-DSig (RSA-SHA256, exclusive c14n) over an IHE manifest and XAdES SignedProperties, verifiable by plain xml-crypto', () => {
    const xml = signed();
    const doc = parseXml(xml);
    const sig = doc.documentElement!;
    expect(sig.localName).toBe('Signature');
    expect(descendants(sig, NS.ds, 'SignatureMethod')[0]!.getAttribute('Algorithm')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(descendants(sig, NS.ds, 'CanonicalizationMethod')[0]!.getAttribute('Algorithm')).toBe('http://www.w3.org/2001/10/xml-exc-c14n#');
    const types = descendants(descendants(sig, NS.ds, 'SignedInfo')[0]!, NS.ds, 'Reference').map((r) => r.getAttribute('Type'));
    expect(types).toEqual(['http://www.w3.org/2000/09/xmldsig#Manifest', 'http://uri.etsi.org/01903#SignedProperties']);
    const qp = descendants(sig, XADES_NS, 'QualifyingProperties')[0]!;
    expect(qp.getAttribute('Target')).toBe(`#${sig.getAttribute('Id')}`);
    expect(text(descendants(qp, XADES_NS, 'SigningTime')[0])).toBe('2025-01-02T03:04:05Z');
    const certDigest = text(descendants(descendants(qp, XADES_NS, 'CertDigest')[0]!, NS.ds, 'DigestValue')[0]);
    expect(certDigest).toBe(createHash('sha256').update(new X509Certificate(pki().certPem).raw).digest('base64'));
    const manifestUris = descendants(descendants(sig, NS.ds, 'Manifest')[0]!, NS.ds, 'Reference').map((r) => r.getAttribute('URI'));
    expect(manifestUris).toEqual(['urn:oid:2.25.77', `urn:oid:${docs[0]!.uniqueId}`]);
    const verifier = new SignedXml({ publicCert: pki().certPem, getCertFromKeyInfo: () => null });
    verifier.loadSignature(sig as unknown as Parameters<SignedXml['loadSignature']>[0]);
    expect(verifier.checkSignature(xml)).toBe(true);
    expect(verifySubmissionSignature(xml, expected)).toEqual({ signingTime: '2025-01-02T03:04:05.000Z', signer: expect.stringContaining('CN=CHU DE TEST') });
  });

  it('refuses a tampered signature, document, lot or signer', () => {
    const xml = signed();
    const refused = (x: string, exp = expected): string => {
      try {
        verifySubmissionSignature(x, exp);
      } catch (e) {
        expect((e as { code: string }).code).toBe('DMP_SIGNATURE_INVALID');
        return (e as Error).message;
      }
      throw new Error('accepted');
    };
    // Changing any signed property or manifest digest breaks the XML-DSig.
    expect(refused(xml.replace('2025-01-02T03:04:05Z', '2025-01-02T03:04:06Z'))).toMatch(/modifié/);
    const doc = parseXml(xml);
    const dv = descendants(descendants(doc, NS.ds, 'Manifest')[0]!, NS.ds, 'DigestValue')[1]!;
    dv.textContent = createHash('sha256').update('autre contenu').digest('base64');
    expect(refused(serialize(doc))).toMatch(/modifié/);
    // Valid signature, but over other bytes / another lot.
    expect(refused(xml, { ...expected, documents: [{ ...docs[0]!, content: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><x/></ClinicalDocument>') }] })).toMatch(/modifié après signature/);
    expect(refused(xml, { ...expected, submissionSetUniqueId: '2.25.78' })).toMatch(/ce lot/);
    expect(refused(xml, { ...expected, documents: [...docs, { uniqueId: '1.2.3.9', content: Buffer.from('x') }] })).toMatch(/pas couvert/);
    // Untrusted signer, even with a perfectly valid signature.
    expect(refused(xml, { ...expected, trustedCertPems: [makeEstablishmentPki('AUTRE').certPem] })).toMatch(/non reconnu/);
    expect(refused('<a/>')).toMatch(/ds:Signature/);
  });

  it('accepts a DRIMbox-style signature: XAdES 1.1.1, RSA-SHA1, inclusive c14n, digest of the canonicalised CDA', () => {
    const x111 = 'http://uri.etsi.org/01903/v1.1.1#';
    const sha1 = 'http://www.w3.org/2000/09/xmldsig#sha1';
    const c14n = 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315';
    const cdaXml = '<ClinicalDocument xmlns="urn:hl7-org:v3"><title>Compte rendu</title>  <!-- note --></ClinicalDocument>';
    const canonical = new C14nCanonicalizationWithComments().process(parseXml(cdaXml).documentElement as never, {});
    const b64sha1 = (b: Buffer | string): string => createHash('sha1').update(b).digest('base64');
    const manifest =
      `<Manifest xmlns="${NS.ds}" Id="IHEManifest"><Reference URI="urn:oid:2.25.5"><DigestMethod Algorithm="${sha1}"/><DigestValue>AA==</DigestValue></Reference>` +
      `<Reference URI="urn:oid:1.2.3.4"><Transforms><Transform Algorithm="${c14n}#WithComments"/></Transforms><DigestMethod Algorithm="${sha1}"/><DigestValue>${b64sha1(canonical)}</DigestValue></Reference></Manifest>`;
    const qp =
      `<QualifyingProperties xmlns="${x111}" Target="#S1"><SignedProperties Id="S0-SignedProperties"><SignedSignatureProperties><SigningTime>2024-01-01T10:00:00.000+01:00</SigningTime>` +
      `<SigningCertificate><Cert><CertDigest><DigestMethod Algorithm="${sha1}"/><DigestValue>${b64sha1(new X509Certificate(pki().certPem).raw)}</DigestValue></CertDigest></Cert></SigningCertificate></SignedSignatureProperties></SignedProperties></QualifyingProperties>`;
    const sig = new SignedXml({ privateKey: pki().keyPem, publicCert: pki().certPem, signatureAlgorithm: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1', canonicalizationAlgorithm: c14n, objects: [{ content: manifest }, { content: qp }] });
    sig.addReference({ xpath: "//*[@Id='IHEManifest']", transforms: [c14n], digestAlgorithm: sha1, type: 'http://www.w3.org/2000/09/xmldsig#Manifest' });
    sig.addReference({ xpath: "//*[@Id='S0-SignedProperties']", transforms: [c14n], digestAlgorithm: sha1, type: 'http://uri.etsi.org/01903/v1.1.1#SignedProperties' });
    sig.computeSignature('<holder/>', { attrs: { Id: 'S1' }, location: { reference: '/*', action: 'append' } });
    const xml = sig.getSignatureXml();
    const lot = { submissionSetUniqueId: '2.25.5', documents: [{ uniqueId: '1.2.3.4', content: Buffer.from(cdaXml) }], trustedCertPems: [pki().certPem] };
    expect(verifySubmissionSignature(xml, lot).signingTime).toBe('2024-01-01T09:00:00.000Z');
    // Canonical digest, yet still bound to the content: a changed title is refused.
    expect(() => verifySubmissionSignature(xml, { ...lot, documents: [{ uniqueId: '1.2.3.4', content: Buffer.from(cdaXml.replace('Compte rendu', 'Compte rendu modifié')) }] })).toThrow(/modifié après signature/);
  });
});

describe('TD2.1 feeding: the sandbox checks the lot signature', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startAuthorisedHarness();
  });
  afterAll(async () => h.close());

  it('accepts a signed lot, stores the signature as a masked DSG document, and never lists it', async () => {
    const cda = makeDemoCda(patient, kind, new Date(Date.UTC(2024, 6, 1)));
    const r = await h.gateway.submit(ctx(), cda);
    const stored = h.sandbox.store.state.entries.filter((e) => e.meta.classCode.code === SIGNATURE_DOC.classCode.code);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.meta.confidentialityCodes.map((c) => c.code)).toEqual(expect.arrayContaining(['MASQUE_PS', 'INVISIBLE_PATIENT']));
    const sig = h.sandbox.store.content(stored[0]!);
    expect(() => verifySubmissionSignature(sig, { submissionSetUniqueId: r.submissionSetUniqueId, documents: [{ uniqueId: r.uniqueId, content: cda }], trustedCertPems: [pki().certPem] })).not.toThrow();
    const listed = await h.gateway.findDocuments(ctx());
    expect(listed.map((e) => e.uniqueId)).toEqual([r.uniqueId]);
  });

  it('refuses a lot whose signature does not cover the bytes sent (tampered), or is signed by an unknown seal; nothing is stored', async () => {
    const before = h.sandbox.store.state.entries.length;
    const other = makeDemoCda(patient, kind, new Date(Date.UTC(2024, 6, 2)));
    const tampering = createDmpiGateway({
      baseUrl: h.sandbox.servicesUrl,
      vihf: vihfConfig(),
      // Signs the right lot but other bytes than those sent.
      signSubmission: async (input) => signSubmissionSet({ ...input, documents: input.documents.map((d) => ({ ...d, content: Buffer.concat([d.content, Buffer.from(' ')]) })), ...pki() }),
    });
    const tampered = await rejection(tampering.submit(ctx(), other));
    tampering.close();
    expect(tampered.code).toBe('DMP_SIGNATURE_INVALID');
    expect(tampered.message).toMatch(/signature électronique/);
    const unknownSeal = createDmpiGateway({ baseUrl: h.sandbox.servicesUrl, vihf: vihfConfig(), xades: makeEstablishmentPki('CACHET INCONNU') });
    const unknown = await rejection(unknownSeal.submit(ctx(), other));
    unknownSeal.close();
    expect(unknown.code).toBe('DMP_SIGNATURE_INVALID');
    const unsigned = createDmpiGateway({ baseUrl: h.sandbox.servicesUrl, vihf: vihfConfig(), signSubmission: async () => '<absent/>' });
    expect((await rejection(unsigned.submit(ctx(), other))).code).toBe('DMP_SIGNATURE_INVALID');
    unsigned.close();
    expect(h.sandbox.store.state.entries.length).toBe(before);
  });

  it('accepts a tampered lot in lenient mode (interop tests)', async () => {
    const lenient = await startHarness({ lenient: true }, { signSubmission: async () => '<absent/>' });
    try {
      const r = await lenient.gateway.submit(ctx(), makeDemoCda(patient, kind, new Date(Date.UTC(2024, 6, 3))));
      expect(r.uniqueId).toBeTruthy();
    } finally {
      await lenient.close();
    }
  });
});
