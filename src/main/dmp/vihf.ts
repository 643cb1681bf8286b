import { X509Certificate, createHash, createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignedXml } from 'xml-crypto';

/** xml-crypto types its node as whichever `Node` is in scope (DOM lib or xmldom): ours is xmldom's. */
type SignatureNode = Parameters<SignedXml['loadSignature']>[0];
import type { Document, Element } from '@xmldom/xmldom';
import { NS, add, attr, child, childElements, descendants, newDocument, parseXml, serialize, text } from './xml';
import { insToCx } from './xds';
import { INS_OID } from '../../shared/ins/oids';
import { toIsoSeconds } from '../../shared/time';
import { ACCESS_MODE_CODE_SYSTEM, type AccessMode, type DmpRequestContext, type DmpUser } from './types';

/** Software identity and establishment settings carried by every VIHF (DOMAIN.md §3). */
export interface VihfConfig {
  /** Identifiant_Structure: establishment id (e.g. "1" + FINESS, or "3" + SIRET). */
  structureId: string;
  /** Secteur_Activite, as code^OID (TRE_R02 SecteurActivite). */
  secteurActivite: string;
  lps: { id: string; nom: string; version: string; homologation: string };
  /** OID of the INS in resource-id; the test NIR OID unless configured for production. */
  insOid?: string;
  /** Establishment certificate and key (PEM), used for the signature. */
  certPem: string;
  keyPem: string;
  /** Assertion validity; short because it is signed per request. */
  validityMinutes?: number;
}

const ALGO = {
  c14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  enveloped: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
};

export const VIHF_ATTR = {
  version: 'VIHF_Version',
  authMode: 'Authentification_Mode',
  structure: 'Identifiant_Structure',
  secteur: 'Secteur_Activite',
  subjectId: 'urn:oasis:names:tc:xspa:1.0:subject:subject-id',
  role: 'urn:oasis:names:tc:xacml:2.0:subject:role',
  resourceId: 'urn:oasis:names:tc:xacml:2.0:resource:resource-id',
  resourceUrn: 'Ressource_URN',
  purposeOfUse: 'urn:oasis:names:tc:xspa:1.0:subject:purposeofuse',
  lpsId: 'LPS_ID',
  lpsNom: 'LPS_Nom',
  lpsVersion: 'LPS_Version',
  lpsHomologation: 'LPS_ID_HOMOLOGATION_DMP',
} as const;

const PROFESSIONS: Record<string, { code: string; display: string }> = {
  medecin: { code: '10', display: 'Médecin' },
  interne: { code: '10', display: 'Médecin' },
  urgentiste: { code: '10', display: 'Médecin' },
  infirmier: { code: '60', display: 'Infirmier' },
};
const PROFESSION_SYSTEM = '1.2.250.1.71.1.2.7';
export const SECRETARY_ROLE = 'SECRETARIAT_MEDICAL';
/** Code system of non-RPPS roles of the DMP (to confirm against the DMPi integration guide). */
const NON_RPPS_ROLE_SYSTEM = '1.2.250.1.213.1.1.4.6';

const ACCESS_DISPLAY: Record<AccessMode, string> = {
  normal: 'Accès normal',
  bris_de_glace: 'Accès en mode bris de glace',
  centre_15: 'Accès en mode centre de régulation',
};

function vihfRole(user: DmpUser): { code: string; codeSystem: string; display: string } {
  if (user.role === 'secretaire_medicale') return { code: SECRETARY_ROLE, codeSystem: NON_RPPS_ROLE_SYSTEM, display: 'Secrétariat médical' };
  const p = user.professionCode ? { code: user.professionCode, display: PROFESSIONS[user.role]?.display ?? user.professionCode } : PROFESSIONS[user.role];
  if (!p) return { code: user.role.toUpperCase(), codeSystem: NON_RPPS_ROLE_SYSTEM, display: user.role };
  return { code: p.code, codeSystem: PROFESSION_SYSTEM, display: p.display };
}

/** NameID of the professional: "8" + RPPS (IdNatPS), else a structure-scoped internal id. */
export function professionalId(user: DmpUser, structureId: string): string {
  return user.rpps ? `8${user.rpps}` : `${structureId}/${user.id}`;
}

/** Subject DN of the certificate in RFC 2253 order, the VIHF Issuer. */
const issuerCache = new Map<string, string>();
function certIssuerName(certPem: string): string {
  let name = issuerCache.get(certPem);
  if (name === undefined) {
    // Node prints the subject one "K=V" per line, most significant first; RFC 2253 is the reverse.
    name = new X509Certificate(certPem).subject.split('\n').reverse().join(',');
    issuerCache.set(certPem, name);
  }
  return name;
}

/** Builds the unsigned VIHF assertion for one request. */
function buildVihfAssertion(ctx: DmpRequestContext, cfg: VihfConfig, now = new Date()): string {
  const doc = newDocument(NS.saml, 'saml2:Assertion');
  const a = doc.documentElement!;
  a.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns:xsi', NS.xsi);
  a.setAttribute('ID', `_${randomUUID()}`);
  a.setAttribute('IssueInstant', toIsoSeconds(now));
  a.setAttribute('Version', '2.0');
  add(a, NS.saml, 'Issuer', { Format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName' }, certIssuerName(cfg.certPem));
  const subject = add(a, NS.saml, 'Subject');
  add(subject, NS.saml, 'NameID', { Format: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified' }, professionalId(ctx.user, cfg.structureId));
  const validity = (cfg.validityMinutes ?? 10) * 60_000;
  add(a, NS.saml, 'Conditions', { NotBefore: toIsoSeconds(new Date(now.getTime() - 60_000)), NotOnOrAfter: toIsoSeconds(new Date(now.getTime() + validity)) });
  const authn = add(a, NS.saml, 'AuthnStatement', { AuthnInstant: toIsoSeconds(now) });
  const actx = add(authn, NS.saml, 'AuthnContext');
  add(actx, NS.saml, 'AuthnContextClassRef', {}, 'urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient');
  const stmt = add(a, NS.saml, 'AttributeStatement');
  const simple = (name: string, value: string): void => {
    const at = add(stmt, NS.saml, 'Attribute', { Name: name });
    add(at, NS.saml, 'AttributeValue', {}, value);
  };
  const codedAttr = (name: string, local: string, c: { code: string; codeSystem: string; display: string; codeSystemName?: string }): void => {
    const at = add(stmt, NS.saml, 'Attribute', { Name: name });
    const v = add(at, NS.saml, 'AttributeValue');
    const ce = doc.createElementNS(NS.hl7, local);
    ce.setAttributeNS(NS.xsi, 'xsi:type', 'CE');
    ce.setAttribute('code', c.code);
    ce.setAttribute('codeSystem', c.codeSystem);
    if (c.codeSystemName) ce.setAttribute('codeSystemName', c.codeSystemName);
    ce.setAttribute('displayName', c.display);
    v.appendChild(ce);
  };
  simple(VIHF_ATTR.version, '3.0');
  simple(VIHF_ATTR.authMode, 'INDIRECTE');
  simple(VIHF_ATTR.structure, cfg.structureId);
  simple(VIHF_ATTR.secteur, cfg.secteurActivite);
  simple(VIHF_ATTR.subjectId, ctx.user.name);
  codedAttr(VIHF_ATTR.role, 'Role', vihfRole(ctx.user));
  simple(VIHF_ATTR.resourceId, insToCx(ctx.ins, cfg.insOid ?? INS_OID.TEST_NIR));
  simple(VIHF_ATTR.resourceUrn, 'urn:dmp');
  codedAttr(VIHF_ATTR.purposeOfUse, 'PurposeOfUse', {
    code: ctx.accessMode,
    codeSystem: ACCESS_MODE_CODE_SYSTEM,
    codeSystemName: 'mode acces VIHF 2.0',
    display: ACCESS_DISPLAY[ctx.accessMode],
  });
  simple(VIHF_ATTR.lpsId, cfg.lps.id);
  simple(VIHF_ATTR.lpsNom, cfg.lps.nom);
  simple(VIHF_ATTR.lpsVersion, cfg.lps.version);
  simple(VIHF_ATTR.lpsHomologation, cfg.lps.homologation);
  return serialize(doc);
}

/** Enveloped XML-DSig over the assertion (exclusive c14n, RSA-SHA256), placed after Issuer as SAML requires. */
const keyCache = new Map<string, KeyObject>();
/** Parsed private keys, once per PEM (VIHF and the submission-set XAdES signature share them). */
export function privateKeyOf(pem: string): KeyObject {
  let k = keyCache.get(pem);
  if (!k) {
    k = createPrivateKey(pem);
    keyCache.set(pem, k);
  }
  return k;
}

export function signVihf(assertionXml: string, keyPem: string, certPem: string): string {
  const sig = new SignedXml({
    privateKey: privateKeyOf(keyPem),
    publicCert: certPem,
    signatureAlgorithm: ALGO.rsaSha256,
    canonicalizationAlgorithm: ALGO.c14n,
  });
  sig.addReference({
    xpath: "/*[local-name()='Assertion' and namespace-uri()='urn:oasis:names:tc:SAML:2.0:assertion']",
    transforms: [ALGO.enveloped, ALGO.c14n],
    digestAlgorithm: ALGO.sha256,
  });
  sig.computeSignature(assertionXml, {
    prefix: 'ds',
    location: { reference: "/*/*[local-name()='Issuer']", action: 'after' },
  });
  return sig.getSignedXml();
}

export function createSignedVihf(ctx: DmpRequestContext, cfg: VihfConfig, now = new Date()): string {
  return signVihf(buildVihfAssertion(ctx, cfg, now), cfg.keyPem, cfg.certPem);
}

const verifiedCache = new Map<string, VerifiedVihf>();

export interface VerifiedVihf {
  /** Attribute name → first value (text, or the `code` of a coded value). */
  attributes: Record<string, string>;
  nameId: string;
  notOnOrAfter?: string;
}

/**
 * Verifies the signature of the VIHF found in `xml` (a whole SOAP envelope or a bare
 * assertion) against trusted certificates, then reads the attributes from the bytes that
 * were actually signed — never from the surrounding document (signature wrapping).
 * Returns undefined when the signature does not verify.
 */
export function verifyVihf(xml: string, trustedCertPems: string[], parsed?: Document): VerifiedVihf | undefined {
  // `parsed`: the caller's own parse of `xml` (the sandbox already has it), saving a second parse.
  const doc = parsed ?? parseXml(xml, { what: 'requête' });
  const assertions = descendants(doc, NS.saml, 'Assertion');
  if (assertions.length !== 1) return undefined;
  const assertion = assertions[0]!;
  const signature = childElements(assertion, NS.ds, 'Signature')[0];
  if (!signature) return undefined;
  const id = assertion.getAttribute('ID');
  // Same assertion bytes already verified against this trust list: same answer (tokens are reused).
  const cacheKey = createHash('sha256').update(serialize(assertion)).update('\0').update(trustedCertPems.join('\0')).digest('hex');
  const cached = verifiedCache.get(cacheKey);
  if (cached) return cached;
  for (const cert of trustedCertPems) {
    const sig = verifiedSignature(cert, signature, xml);
    if (!sig) continue;
    const refs = sig.getSignedReferences();
    if (refs.length !== 1) return undefined;
    const signedDoc = parseXml(refs[0]!, { what: 'assertion signée' });
    const signed = signedDoc.documentElement!;
    if (signed.namespaceURI !== NS.saml || signed.localName !== 'Assertion' || signed.getAttribute('ID') !== id) return undefined;
    const result = readVihf(signed);
    if (verifiedCache.size > 1000) verifiedCache.clear();
    verifiedCache.set(cacheKey, result);
    return result;
  }
  return undefined;
}

/** Reads a VIHF without verifying it (lenient sandbox mode). */
export function readVihf(assertion: Element): VerifiedVihf {
  const attributes: Record<string, string> = {};
  const stmt = child(assertion, NS.saml, 'AttributeStatement');
  for (const at of stmt ? childElements(stmt, NS.saml, 'Attribute') : []) {
    const value = child(at, NS.saml, 'AttributeValue');
    if (!value) continue;
    const coded = childElements(value)[0];
    attributes[at.getAttribute('Name') ?? ''] = coded ? (attr(coded, 'code') ?? '') : text(value);
  }
  const nameId = text(child(child(assertion, NS.saml, 'Subject') ?? assertion, NS.saml, 'NameID'));
  const notOnOrAfter = attr(child(assertion, NS.saml, 'Conditions'), 'NotOnOrAfter');
  return { attributes, nameId, ...(notOnOrAfter ? { notOnOrAfter } : {}) };
}

/**
 * The verifier of an XML-DSig signature element that holds against one certificate
 * (the key in KeyInfo is never trusted), for reading what it signed; null when it does
 * not hold (xml-crypto's exceptions on malformed input count as "does not hold").
 */
export function verifiedSignature(certPem: string, signature: unknown, xml: string): SignedXml | null {
  const verifier = new SignedXml({ publicCert: certPem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(signature as SignatureNode);
  try {
    return verifier.checkSignature(xml) ? verifier : null;
  } catch {
    return null;
  }
}
