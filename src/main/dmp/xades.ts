import { X509Certificate, createHash, randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { C14nCanonicalization, C14nCanonicalizationWithComments, ExclusiveCanonicalization, ExclusiveCanonicalizationWithComments, SignedXml } from 'xml-crypto';

/** xml-crypto types its node as whichever `Node` is in scope (DOM lib or xmldom): ours is xmldom's. */
import { DmpError } from './errors';
import { privateKeyOf, verifiedSignature } from './vihf';
import { NS, attr, child, childElements, newDocument, parseXml, serialize, text } from './xml';

/**
 * Signature of the submission set ("signature du lot de soumission", DMPi TD2.1).
 *
 * What we followed (there is no public ANS schema for it, so the shape comes from):
 * - IHE ITI DSG (Document Digital Signature, ITI TF-3 §5.5): a detached/enveloping XML-DSig whose
 *   ds:Manifest (Id "IHEManifest") lists every document of the submission by `urn:oid:<uniqueId>`
 *   with its digest, a ds:SignatureProperty "purposeOfSignature" 1.2.840.10065.1.12.1.14 (ASTM
 *   E1762 "Source"), and XAdES QualifyingProperties (ETSI TS 101 903: SigningTime,
 *   SigningCertificate digest + IssuerSerial, SignaturePolicyImplied) — XAdES-BES.
 * - The DMP clients published by the ANS (DRIMbox, ansforge/DRIM-M_DRIMbox XadesSign) and
 *   Mediboard: the signature is its own XDS document in the lot (classCode
 *   urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1 "Digital Signature", typeCode E1762 "Full Document",
 *   formatCode http://www.w3.org/2000/09/xmldsig#, eventCode 1.2.840.10065.1.12.1.14 "Source",
 *   languageCode "art", masked to professionals and invisible to the patient), a HasMember
 *   association from the lot and a `signs` association to the lot; the lot itself is referenced
 *   by its uniqueId with a conventional one-byte 0x00 digest.
 * - Where those clients used SHA-1 and inclusive c14n, we use RSA-SHA256, SHA-256 digests and
 *   exclusive c14n (as the VIHF does, and as the RGS/IGC Santé "ORG_SIGN" seal certificates allow):
 *   exclusive c14n also makes the digests independent of where the signature document travels.
 */

export const XADES_NS = 'http://uri.etsi.org/01903/v1.3.2#';
/** Older XAdES namespace still emitted by some DMP clients (DRIMbox): accepted when verifying. */
const XADES_111_NS = 'http://uri.etsi.org/01903/v1.1.1#';

export const SIGNATURE_DOC = {
  classCode: { code: 'urn:oid:1.3.6.1.4.1.19376.1.2.1.1.1', codeSystem: 'URN', display: 'Digital Signature' },
  typeCode: { code: 'E1762', codeSystem: 'ASTM', display: 'Full Document' },
  formatCode: { code: 'http://www.w3.org/2000/09/xmldsig#', codeSystem: 'URN', display: 'Default Signature Style' },
  eventCode: { code: '1.2.840.10065.1.12.1.14', codeSystem: '1.2.840.10065.1.12', display: 'Source' },
  title: 'Source',
  languageCode: 'art',
} as const;

export const SIGNS_ASSOCIATION = 'urn:ihe:iti:2007:AssociationType:signs';

const ALGO = {
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  rsaSha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  manifestType: 'http://www.w3.org/2000/09/xmldsig#Manifest',
  signedPropertiesType: 'http://uri.etsi.org/01903#SignedProperties',
};
const PURPOSE_SOURCE = '1.2.840.10065.1.12.1.14';
/** Transforms accepted on a manifest reference to an XML document. */
const CANONICALIZERS: Record<string, () => { process(node: never, options: object): string }> = {
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315': () => new C14nCanonicalization(),
  'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments': () => new C14nCanonicalizationWithComments(),
  'http://www.w3.org/2001/10/xml-exc-c14n#': () => new ExclusiveCanonicalization(),
  'http://www.w3.org/2001/10/xml-exc-c14n#WithComments': () => new ExclusiveCanonicalizationWithComments(),
};
const MANIFEST_ID = 'IHEManifest';
/** The lot is metadata, not bytes: referenced by uniqueId with a one-byte 0x00 digest (DMP usage). */
const SUBMISSION_SET_DIGEST = Buffer.from([0]).toString('base64');

export interface SignedDocument {
  uniqueId: string;
  content: Buffer;
}

export interface SubmissionSignatureInput {
  submissionSetUniqueId: string;
  documents: SignedDocument[];
  certPem: string;
  keyPem: string;
  signingTime?: Date;
}


function derOf(certPem: string): Buffer {
  return new X509Certificate(certPem).raw;
}

/** Issuer DN in RFC 2253 order (most specific first), as ds:X509IssuerName expects. */
function issuerName(cert: X509Certificate): string {
  return cert.issuer.split('\n').reverse().join(',');
}

function uidUri(uniqueId: string): string {
  return `urn:oid:${uniqueId}`;
}

/**
 * Builds and signs the XAdES-BES signature document of a submission set.
 * Every value enters the XML through DOM calls; xml-crypto canonicalises and signs.
 */
export function signSubmissionSet(input: SubmissionSignatureInput): string {
  const sigId = `sig-${randomUUID()}`;
  const spId = `${sigId}-SignedProperties`;
  const cert = new X509Certificate(input.certPem);
  const signingTime = (input.signingTime ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z');

  // ds:Object 1 — purpose of the signature (IHE DSG).
  const propsDoc = newDocument(NS.ds, 'ds:SignatureProperties');
  const prop = propsDoc.createElementNS(NS.ds, 'ds:SignatureProperty');
  prop.setAttribute('Id', `${sigId}-purposeOfSignature`);
  prop.setAttribute('Target', `#${sigId}`);
  prop.appendChild(propsDoc.createTextNode(PURPOSE_SOURCE));
  propsDoc.documentElement!.appendChild(prop);

  // ds:Object 2 — the manifest of what is signed: the lot and each document's bytes.
  const manDoc = newDocument(NS.ds, 'ds:Manifest');
  const manifest = manDoc.documentElement!;
  manifest.setAttribute('Id', MANIFEST_ID);
  const ref = (uri: string, digest: string): void => {
    const r = manDoc.createElementNS(NS.ds, 'ds:Reference');
    r.setAttribute('URI', uri);
    const dm = manDoc.createElementNS(NS.ds, 'ds:DigestMethod');
    dm.setAttribute('Algorithm', ALGO.sha256);
    r.appendChild(dm);
    const dv = manDoc.createElementNS(NS.ds, 'ds:DigestValue');
    dv.appendChild(manDoc.createTextNode(digest));
    r.appendChild(dv);
    manifest.appendChild(r);
  };
  ref(uidUri(input.submissionSetUniqueId), SUBMISSION_SET_DIGEST);
  for (const d of input.documents) ref(uidUri(d.uniqueId), createHash('sha256').update(d.content).digest('base64'));

  // ds:Object 3 — XAdES-BES qualifying properties.
  const qpDoc = newDocument(XADES_NS, 'xades:QualifyingProperties');
  const qp = qpDoc.documentElement!;
  qp.setAttribute('Target', `#${sigId}`);
  const x = (parent: Element, local: string, value?: string): Element => {
    const e = qpDoc.createElementNS(XADES_NS, `xades:${local}`);
    if (value !== undefined) e.appendChild(qpDoc.createTextNode(value));
    parent.appendChild(e);
    return e;
  };
  const d = (parent: Element, local: string, value?: string, algorithm?: string): Element => {
    const e = qpDoc.createElementNS(NS.ds, `ds:${local}`);
    if (algorithm) e.setAttribute('Algorithm', algorithm);
    if (value !== undefined) e.appendChild(qpDoc.createTextNode(value));
    parent.appendChild(e);
    return e;
  };
  const sp = x(qp, 'SignedProperties');
  sp.setAttribute('Id', spId);
  const ssp = x(sp, 'SignedSignatureProperties');
  x(ssp, 'SigningTime', signingTime);
  const certEl = x(x(ssp, 'SigningCertificate'), 'Cert');
  const cd = x(certEl, 'CertDigest');
  d(cd, 'DigestMethod', undefined, ALGO.sha256);
  d(cd, 'DigestValue', createHash('sha256').update(cert.raw).digest('base64'));
  const is = x(certEl, 'IssuerSerial');
  d(is, 'X509IssuerName', issuerName(cert));
  d(is, 'X509SerialNumber', BigInt(`0x${cert.serialNumber}`).toString());
  x(x(ssp, 'SignaturePolicyIdentifier'), 'SignaturePolicyImplied');

  const sig = new SignedXml({
    privateKey: privateKeyOf(input.keyPem),
    publicCert: input.certPem,
    signatureAlgorithm: ALGO.rsaSha256,
    canonicalizationAlgorithm: ALGO.excC14n,
    objects: [{ content: serialize(propsDoc) }, { content: serialize(manDoc) }, { content: serialize(qpDoc) }],
  });
  sig.addReference({ xpath: `//*[@Id='${MANIFEST_ID}']`, transforms: [ALGO.excC14n], digestAlgorithm: ALGO.sha256, type: ALGO.manifestType });
  sig.addReference({ xpath: `//*[@Id='${spId}']`, transforms: [ALGO.excC14n], digestAlgorithm: ALGO.sha256, type: ALGO.signedPropertiesType });
  // Enveloping signature: computed inside a throw-away holder, then taken out as its own document
  // (exclusive c14n keeps the digests independent of that holder).
  sig.computeSignature('<holder/>', { prefix: 'ds', attrs: { Id: sigId }, location: { reference: '/*', action: 'append' } });
  return sig.getSignatureXml();
}

export interface VerifiedSubmissionSignature {
  signingTime: string;
  /** Subject of the signing certificate (for the journal, never secret). */
  signer: string;
}

function refuse(reason: string): DmpError {
  return new DmpError('DMP_SIGNATURE_INVALID', `Signature du lot de soumission refusée : ${reason}.`);
}

function qualifying(root: Element, local: string): Element | undefined {
  return child(root, XADES_NS, local) ?? child(root, XADES_111_NS, local);
}

/**
 * Verifies a submission-set signature document (sandbox side, and any party receiving a lot):
 * the certificate in KeyInfo is one of the trusted ones, the XML-DSig verifies (SignedInfo,
 * Manifest and SignedProperties digests), the SigningCertificate digest designates that
 * certificate, and the signed Manifest covers exactly this lot and these document bytes.
 * Manifest and properties are read from the bytes that were signed, never from the document.
 */
export function verifySubmissionSignature(
  signatureXml: Buffer | string,
  expected: { submissionSetUniqueId: string; documents: SignedDocument[]; trustedCertPems: string[]; now?: Date },
): VerifiedSubmissionSignature {
  const xml = typeof signatureXml === 'string' ? signatureXml : signatureXml.toString('utf8');
  const doc = parseXml(xml, { what: 'signature du lot de soumission', maxBytes: 1024 * 1024 });
  const root = doc.documentElement!;
  if (root.namespaceURI !== NS.ds || root.localName !== 'Signature') throw refuse('élément ds:Signature attendu');
  const sigId = root.getAttribute('Id') ?? '';
  const keyInfoCert = text(childElements(child(root, NS.ds, 'KeyInfo') ?? root, NS.ds, 'X509Data').map((x509) => child(x509, NS.ds, 'X509Certificate')).find(Boolean));
  if (!keyInfoCert) throw refuse('certificat de signature absent (KeyInfo)');
  let der: Buffer;
  try {
    der = new X509Certificate(Buffer.from(keyInfoCert.replace(/\s+/g, ''), 'base64')).raw;
  } catch {
    throw refuse('certificat de signature illisible');
  }
  const trusted = expected.trustedCertPems.find((pem) => derOf(pem).equals(der));
  if (!trusted) throw refuse("certificat de signature non reconnu par le DMP");

  const verifier = verifiedSignature(trusted, root, xml);
  if (!verifier) throw refuse('la signature ne correspond pas au contenu signé (document modifié ?)');
  // Read what was signed, from the canonical bytes xml-crypto verified (no signature wrapping).
  const signed = verifier.getSignedReferences().map((c) => parseXml(c, { what: 'signature du lot de soumission' }).documentElement!);
  if (signed.length !== verifier.getReferences().length) throw refuse('référence non vérifiée');
  const manifests = signed.filter((e) => e.namespaceURI === NS.ds && e.localName === 'Manifest');
  const props = signed.filter((e) => e.localName === 'SignedProperties' && (e.namespaceURI === XADES_NS || e.namespaceURI === XADES_111_NS));
  if (manifests.length !== 1) throw refuse('manifeste IHE non signé');
  if (props.length !== 1) throw refuse('propriétés XAdES (SignedProperties) non signées');
  const manifest = manifests[0]!;
  const sp = props[0]!;
  // The SignedProperties must belong to this signature (QualifyingProperties/@Target).
  const qpTarget = childElements(root, NS.ds, 'Object')
    .map((o) => qualifying(o, 'QualifyingProperties'))
    .find((q) => q && childElements(q).some((c) => c.localName === 'SignedProperties' && c.getAttribute('Id') === sp.getAttribute('Id')));
  if (!qpTarget || qpTarget.getAttribute('Target') !== `#${sigId}`) throw refuse('propriétés XAdES rattachées à une autre signature');

  const ssp = qualifying(sp, 'SignedSignatureProperties');
  const signingTime = text(ssp ? qualifying(ssp, 'SigningTime') : undefined);
  const t = Date.parse(signingTime);
  if (!signingTime || Number.isNaN(t)) throw refuse('date de signature (SigningTime) absente ou invalide');
  if (t > (expected.now ?? new Date()).getTime() + 5 * 60_000) throw refuse('date de signature dans le futur');
  const certEl = ssp ? qualifying(qualifying(ssp, 'SigningCertificate') ?? ssp, 'Cert') : undefined;
  const cd = certEl ? qualifying(certEl, 'CertDigest') : undefined;
  const dm = cd ? (child(cd, NS.ds, 'DigestMethod') ?? qualifying(cd, 'DigestMethod')) : undefined;
  const dv = text(cd ? (child(cd, NS.ds, 'DigestValue') ?? qualifying(cd, 'DigestValue')) : undefined);
  const algo = attr(dm, 'Algorithm');
  const hash = algo === ALGO.sha256 ? 'sha256' : algo === ALGO.sha1 ? 'sha1' : undefined;
  if (!hash || !dv || createHash(hash).update(der).digest('base64') !== dv.replace(/\s+/g, '')) {
    throw refuse("l'empreinte du certificat signataire (SigningCertificate) ne correspond pas");
  }

  // Manifest references: digest of the document bytes, or of their canonical form when the
  // reference declares a c14n transform (clients that sign the canonicalised CDA, e.g. DRIMbox).
  const digests = new Map<string, { hash: 'sha256' | 'sha1'; value: string; transforms: string[] }>();
  for (const r of childElements(manifest, NS.ds, 'Reference')) {
    const uri = r.getAttribute('URI') ?? '';
    if (digests.has(uri)) throw refuse('référence en double dans le manifeste');
    const rdm = attr(child(r, NS.ds, 'DigestMethod'), 'Algorithm');
    if (rdm !== ALGO.sha256 && rdm !== ALGO.sha1) throw refuse("algorithme d'empreinte non accepté dans le manifeste");
    const transformsEl = child(r, NS.ds, 'Transforms');
    const transforms = transformsEl ? childElements(transformsEl, NS.ds, 'Transform').map((t) => t.getAttribute('Algorithm') ?? '') : [];
    if (transforms.some((t) => !CANONICALIZERS[t]) || transforms.length > 1) throw refuse('transformation non acceptée dans le manifeste');
    digests.set(uri, { hash: rdm === ALGO.sha256 ? 'sha256' : 'sha1', value: text(child(r, NS.ds, 'DigestValue')).replace(/\s+/g, ''), transforms });
  }
  if (!digests.has(uidUri(expected.submissionSetUniqueId))) throw refuse("le manifeste ne désigne pas ce lot de soumission");
  for (const d of expected.documents) {
    const entry = digests.get(uidUri(d.uniqueId));
    if (!entry) throw refuse(`le document ${d.uniqueId} n'est pas couvert par la signature`);
    let bytes: Buffer | string = d.content;
    const transform = entry.transforms[0];
    if (transform) {
      const root = parseXml(d.content, { what: 'document signé' }).documentElement!;
      bytes = CANONICALIZERS[transform]!().process(root as never, {});
    }
    if (createHash(entry.hash).update(bytes).digest('base64') !== entry.value) throw refuse(`le contenu du document ${d.uniqueId} a été modifié après signature`);
  }
  if (digests.size !== expected.documents.length + 1) throw refuse('le manifeste désigne des documents absents du lot');
  const subject = new X509Certificate(der).subject.split('\n').reverse().join(',');
  return { signingTime: new Date(t).toISOString(), signer: subject };
}
