import { describe, expect, it } from 'vitest';
import { SignedXml } from 'xml-crypto';
import { DOMParser } from '@xmldom/xmldom';
import { buildEnvelope } from '../../../../src/main/dmp/soap';
import { buildMtom, parseMultipart, xopContent } from '../../../../src/main/dmp/mtom';
import { createSignedVihf, verifyVihf, VIHF_ATTR } from '../../../../src/main/dmp/vihf';
import { NS, descendants, parseXml, serialize } from '../../../../src/main/dmp/xml';
import { DmpError } from '../../../../src/main/dmp/errors';
import { ctx, doctorNameId, makeEstablishmentPki, pki, secretary, vihfConfig, FIXTURE_INS } from './helpers';

describe('VIHF', () => {
  it('carries the DMP attributes and the INS in CX form', () => {
    const xml = createSignedVihf(ctx({ accessMode: 'bris_de_glace' }), vihfConfig());
    const v = verifyVihf(xml, [pki().certPem]);
    expect(v).toBeDefined();
    const a = v!.attributes;
    expect(a[VIHF_ATTR.version]).toBe('3.0');
    expect(a[VIHF_ATTR.authMode]).toBe('INDIRECTE');
    expect(a[VIHF_ATTR.structure]).toBe('11750000000');
    expect(a[VIHF_ATTR.secteur]).toBe('SA01^1.2.250.1.71.4.2.4');
    expect(a[VIHF_ATTR.role]).toBe('10');
    expect(a[VIHF_ATTR.subjectId]).toBe('Claire MARTIN');
    expect(a[VIHF_ATTR.resourceId]).toBe(`${FIXTURE_INS}^^^&1.2.250.1.213.1.4.10&ISO^NH`);
    expect(a[VIHF_ATTR.resourceUrn]).toBe('urn:dmp');
    expect(a[VIHF_ATTR.purposeOfUse]).toBe('bris_de_glace');
    expect(a[VIHF_ATTR.lpsId]).toBe('POSTE-01');
    expect(a[VIHF_ATTR.lpsNom]).toBe('Poste clinique CHU');
    expect(a[VIHF_ATTR.lpsVersion]).toBe('0.1.0');
    expect(a[VIHF_ATTR.lpsHomologation]).toBe('HOMOLOG-TEST-0001');
    expect(v!.nameId).toBe(doctorNameId);
    const doc = parseXml(xml);
    const role = descendants(doc, NS.hl7, 'Role')[0]!;
    expect(role.getAttribute('codeSystem')).toBe('1.2.250.1.71.1.2.7');
    const pou = descendants(doc, NS.hl7, 'PurposeOfUse')[0]!;
    expect(pou.getAttribute('codeSystem')).toBe('1.2.250.1.213.1.1.4.248');
  });

  it('uses SECRETARIAT_MEDICAL as the role of a medical secretary', () => {
    const v = verifyVihf(createSignedVihf(ctx({ user: secretary }), vihfConfig()), [pki().certPem]);
    expect(v!.attributes[VIHF_ATTR.role]).toBe('SECRETARIAT_MEDICAL');
  });

  it('is signed with exclusive c14n and RSA-SHA256 over the assertion ID, verifiable by xml-crypto', () => {
    const xml = createSignedVihf(ctx(), vihfConfig());
    const doc = new DOMParser().parseFromString(xml, 'text/xml');
    const assertion = doc.documentElement!;
    const sigNode = descendants(doc, NS.ds, 'Signature')[0]!;
    expect(sigNode.parentNode).toBe(assertion);
    expect(descendants(sigNode, NS.ds, 'SignatureMethod')[0]!.getAttribute('Algorithm')).toBe('http://www.w3.org/2001/04/xmldsig-more#rsa-sha256');
    expect(descendants(sigNode, NS.ds, 'CanonicalizationMethod')[0]!.getAttribute('Algorithm')).toBe('http://www.w3.org/2001/10/xml-exc-c14n#');
    const transforms = descendants(sigNode, NS.ds, 'Transform').map((t) => t.getAttribute('Algorithm'));
    expect(transforms).toEqual(['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#']);
    expect(descendants(sigNode, NS.ds, 'Reference')[0]!.getAttribute('URI')).toBe(`#${assertion.getAttribute('ID')}`);
    // Plain xml-crypto verifier, as the DMP (or any third party) would run it.
    const verifier = new SignedXml({ publicCert: pki().certPem, getCertFromKeyInfo: () => null });
    verifier.loadSignature(sigNode as unknown as Parameters<SignedXml['loadSignature']>[0]);
    expect(verifier.checkSignature(xml)).toBe(true);
  });

  it('fails verification after any change to the assertion', () => {
    const xml = createSignedVihf(ctx(), vihfConfig());
    const tamperings: [string, string][] = [
      [FIXTURE_INS, '180000000000099'],
      ['code="normal"', 'code="bris_de_glace"'],
      ['Claire MARTIN', 'Claire MARTINE'],
      ['INDIRECTE', 'DIRECTE'],
      ['11750000000', '11750000001'],
      [doctorNameId, '810009999999'],
      ['HOMOLOG-TEST-0001', 'HOMOLOG-TEST-0002'],
    ];
    for (const [from, to] of tamperings) {
      expect(xml.includes(from), from).toBe(true);
      const changed = xml.replace(from, to);
      expect(verifyVihf(changed, [pki().certPem]), `${from} → ${to}`).toBeUndefined();
      const sigNode = descendants(new DOMParser().parseFromString(changed, 'text/xml'), NS.ds, 'Signature')[0]!;
      const verifier = new SignedXml({ publicCert: pki().certPem, getCertFromKeyInfo: () => null });
      verifier.loadSignature(sigNode as unknown as Parameters<SignedXml['loadSignature']>[0]);
      let ok: boolean;
      try {
        ok = verifier.checkSignature(changed);
      } catch {
        ok = false;
      }
      expect(ok, `${from} → ${to}`).toBe(false);
    }
  });

  it('is refused when signed by an untrusted certificate', () => {
    const other = makeEstablishmentPki('AUTRE ETABLISSEMENT');
    const xml = createSignedVihf(ctx(), vihfConfig(other));
    expect(verifyVihf(xml, [pki().certPem])).toBeUndefined();
    expect(verifyVihf(xml, [other.certPem])).toBeDefined();
  });
});

describe('SOAP envelope', () => {
  it('matches the DMPi layout: SOAP 1.2, WS-Addressing, wsse:Security with the VIHF', () => {
    const vihf = createSignedVihf(ctx(), vihfConfig());
    const { doc } = buildEnvelope('urn:ihe:iti:2007:RegistryStoredQuery', 'https://dmp.example/si-dmp-server/v2/services/registry', vihf);
    const xml = serialize(doc);
    const parsed = parseXml(xml);
    const env = parsed.documentElement!;
    expect(env.namespaceURI).toBe('http://www.w3.org/2003/05/soap-envelope');
    const action = descendants(parsed, NS.wsa, 'Action')[0]!;
    expect(action.textContent).toBe('urn:ihe:iti:2007:RegistryStoredQuery');
    expect(action.getAttributeNS(NS.soap, 'mustUnderstand')).toBe('true');
    expect(descendants(parsed, NS.wsa, 'MessageID')[0]!.textContent).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(descendants(parsed, NS.wsa, 'To')[0]!.textContent).toBe('https://dmp.example/si-dmp-server/v2/services/registry');
    const security = descendants(parsed, NS.wsse, 'Security')[0]!;
    expect(descendants(security, NS.saml, 'Assertion')).toHaveLength(1);
    // Embedding the assertion in the envelope must not break its signature.
    expect(verifyVihf(xml, [pki().certPem])).toBeDefined();
  });
});

describe('MTOM', () => {
  it('round-trips binary parts with CRLF framing and start/start-info parameters', () => {
    const binary = Buffer.from([0, 1, 2, 13, 10, 45, 45, 255, 254, 13, 10]);
    const soap = `<soap:Envelope xmlns:soap="${NS.soap}"><soap:Body><d xmlns:xop="${NS.xop}"><xop:Include href="cid:part1%40test"/></d></soap:Body></soap:Envelope>`;
    const m = buildMtom(soap, 'urn:ihe:iti:2007:RetrieveDocumentSet', [{ contentId: 'part1@test', contentType: 'application/octet-stream', data: binary }]);
    expect(m.contentType).toMatch(/^multipart\/related; boundary="[^"]+"; type="application\/xop\+xml"; start="<[^>]+>"; start-info="application\/soap\+xml"/);
    expect(m.body.includes(Buffer.from('\r\n\r\n'))).toBe(true);
    const parsed = parseMultipart(m.contentType, m.body);
    expect(parsed.root.data.toString()).toBe(soap);
    const doc = parseXml(parsed.root.data);
    const d = doc.documentElement!.getElementsByTagName('d')[0]!;
    expect(xopContent(d, parsed.parts).equals(binary)).toBe(true);
  });

  it('rejects malformed MTOM with a French error', () => {
    const m = buildMtom('<a/>', 'x', [{ contentId: 'c', contentType: 'text/plain', data: Buffer.from('x') }]);
    const cases: [string, Buffer][] = [
      [m.contentType, m.body.subarray(0, m.body.length - 10)],
      [m.contentType.replace(/boundary="[^"]+"/, 'boundary="autre"'), m.body],
      ['multipart/related', m.body],
      [m.contentType, Buffer.from(m.body.toString('latin1').replace(/\r\n/g, '\n'), 'latin1')],
    ];
    for (const [ct, body] of cases) {
      let err: unknown;
      try {
        parseMultipart(ct, body);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DmpError);
      expect((err as DmpError).code).toBe('DMP_MTOM_INVALID');
      expect((err as DmpError).message).toMatch(/MTOM reçu est invalide/);
    }
  });
});

describe('hostile XML', () => {
  it('refuses XXE, entity expansion and oversized input', () => {
    const xxe = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>';
    const lol = '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><r>&b;</r>';
    for (const x of [xxe, lol]) {
      expect(() => parseXml(x)).toThrowError(expect.objectContaining({ code: 'DMP_XML_HOSTILE' }));
    }
    expect(() => parseXml('<r>&undefined;</r>')).toThrowError(expect.objectContaining({ code: 'DMP_RESPONSE_INVALID' }));
    expect(() => parseXml('<r><unclosed></r>')).toThrowError(expect.objectContaining({ code: 'DMP_RESPONSE_INVALID' }));
    expect(() => parseXml(`<r>${'a'.repeat(2048)}</r>`, { maxBytes: 1024 })).toThrowError(expect.objectContaining({ code: 'DMP_RESPONSE_TOO_LARGE' }));
  });
});
