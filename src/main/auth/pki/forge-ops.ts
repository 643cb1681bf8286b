import { X509Certificate, createHash, createPrivateKey, generateKeyPair, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import forge from 'node-forge';
import { AuthError } from '../errors';
import { formatLongDateTimeFr } from '../../../shared/time';

/**
 * The certificate work of the test PKI and of certificate login. Pure
 * functions, CPU-heavy (RSA in JavaScript, PKCS#12 key derivation): call them
 * through the forge worker (forge-client.ts), never on the thread serving the UI.
 */

const OID_UID = '0.9.2342.19200300.100.1.1';
const OID_CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';

export interface SubjectSpec {
  commonName: string;
  /** UID attribute: the directory user id of a personal certificate. */
  uid?: string;
  /** serialNumber attribute: RPPS of a professional, FINESS of the establishment. */
  serialNumber?: string;
  organization: string;
  organizationalUnits?: string[];
}

export type CertificateProfile = 'ca' | 'personal' | 'establishment' | 'workstation';

export interface KeyPairPem {
  privateKeyPem: string;
  publicKeyPem: string;
}

/** RSA keys come from Node's native generator (forge's pure-JS one takes seconds). */
export function generateRsaKeyPair(bits = 2048): KeyPairPem {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: bits,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

/** forge's typings declare valueTagClass as an ASN.1 class; it holds an ASN.1 type. */
interface Field {
  shortName?: string;
  name?: string;
  type?: string;
  value: string;
  valueTagClass?: number;
}

/** Same, on libuv's thread pool: several keys are generated in parallel. */
export function generateRsaKeyPairAsync(bits = 2048): Promise<KeyPairPem> {
  return new Promise((resolve, reject) => {
    generateKeyPair(
      'rsa',
      {
        modulusLength: bits,
        publicKeyEncoding: { type: 'spki', format: 'pem' },
        privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      },
      (err, publicKey, privateKey) => (err ? reject(err) : resolve({ privateKeyPem: privateKey, publicKeyPem: publicKey })),
    );
  });
}

function subjectAttributes(spec: SubjectSpec): forge.pki.CertificateField[] {
  // UTF-8 strings so accented names ("Établissement") survive.
  const utf8 = forge.asn1.Type.UTF8;
  const attrs: Field[] = [{ shortName: 'C', value: 'FR', valueTagClass: forge.asn1.Type.PRINTABLESTRING }];
  attrs.push({ shortName: 'O', value: spec.organization, valueTagClass: utf8 });
  for (const ou of spec.organizationalUnits ?? []) attrs.push({ shortName: 'OU', value: ou, valueTagClass: utf8 });
  if (spec.serialNumber) {
    attrs.push({ name: 'serialNumber', value: spec.serialNumber, valueTagClass: forge.asn1.Type.PRINTABLESTRING });
  }
  if (spec.uid) attrs.push({ type: OID_UID, value: spec.uid, valueTagClass: utf8 });
  attrs.push({ shortName: 'CN', value: spec.commonName, valueTagClass: utf8 });
  return attrs as unknown as forge.pki.CertificateField[];
}

/** Attributes of a parsed certificate hold raw UTF-8 bytes: decode them before forge re-encodes. */
function reusableAttributes(attrs: forge.pki.CertificateField[]): forge.pki.CertificateField[] {
  return (attrs as unknown as Field[]).map((a) => {
    const copy = { ...a };
    if (copy.valueTagClass === forge.asn1.Type.UTF8) copy.value = forge.util.decodeUtf8(copy.value);
    return copy;
  }) as unknown as forge.pki.CertificateField[];
}

function attributeValue(a: Field): string {
  const v = typeof a.value === 'string' ? a.value : String(a.value);
  return a.valueTagClass === forge.asn1.Type.UTF8 ? forge.util.decodeUtf8(v) : v;
}

function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f; // positive INTEGER
  return bytes.toString('hex');
}

function extensionsFor(profile: CertificateProfile): object[] {
  switch (profile) {
    case 'ca':
      return [
        { name: 'basicConstraints', cA: true, pathLenConstraint: 0, critical: true },
        { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        { name: 'subjectKeyIdentifier' },
      ];
    case 'personal':
      return [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
        { name: 'subjectKeyIdentifier' },
      ];
    case 'establishment':
      // Mutual TLS towards the DMP and the VIHF signature.
      return [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', clientAuth: true },
        { name: 'subjectKeyIdentifier' },
      ];
    case 'workstation':
      // Signs the audit journal's checkpoints.
      return [
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
        { name: 'subjectKeyIdentifier' },
      ];
  }
}

export interface IssueRequest {
  profile: CertificateProfile;
  subject: SubjectSpec;
  publicKeyPem: string;
  notBefore: Date;
  notAfter: Date;
  /** Absent for the self-signed root: then privateKeyPem signs. */
  issuer?: { certPem: string; keyPem: string };
  /** Signing key of a self-signed certificate. */
  selfSignKeyPem?: string;
}

export function issueCertificate(req: IssueRequest): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(req.publicKeyPem);
  cert.serialNumber = randomSerial();
  cert.validity.notBefore = req.notBefore;
  cert.validity.notAfter = req.notAfter;
  cert.setSubject(subjectAttributes(req.subject));
  const extensions = extensionsFor(req.profile);
  let signingKeyPem: string;
  if (req.issuer) {
    const caCert = forge.pki.certificateFromPem(req.issuer.certPem);
    cert.setIssuer(reusableAttributes(caCert.subject.attributes));
    const caSki = caCert.getExtension('subjectKeyIdentifier') as { subjectKeyIdentifier?: string } | null;
    if (caSki?.subjectKeyIdentifier) extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: forge.util.hexToBytes(caSki.subjectKeyIdentifier) });
    signingKeyPem = req.issuer.keyPem;
  } else {
    if (!req.selfSignKeyPem) throw new Error('selfSignKeyPem required for a self-signed certificate');
    cert.setIssuer(subjectAttributes(req.subject));
    signingKeyPem = req.selfSignKeyPem;
  }
  cert.setExtensions(extensions);
  // forge builds the TBSCertificate; Node's native RSA signs it (forge's JS RSA is ~10x slower).
  const signatureOid = forge.pki.oids.sha256WithRSAEncryption!;
  const mutable = cert as unknown as { signatureOid: string; siginfo: { algorithmOid: string }; tbsCertificate: forge.asn1.Asn1; signature: string };
  mutable.signatureOid = signatureOid;
  mutable.siginfo.algorithmOid = signatureOid;
  mutable.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbsDer = Buffer.from(forge.asn1.toDer(mutable.tbsCertificate).getBytes(), 'binary');
  mutable.signature = sign('sha256', tbsDer, createPrivateKey(signingKeyPem)).toString('binary');
  return forge.pki.certificateToPem(cert);
}

/**
 * Packs a key and its certificate chain (leaf first) into a PIN-protected
 * PKCS#12: AES-256-CBC under PBES2/PBKDF2, SHA-1 MAC, 2048 iterations (OpenSSL's
 * default; readable by OpenSSL 3 and Node's TLS `pfx` option).
 */
export function packPkcs12(keyPem: string, chainPems: string[], password: string, friendlyName: string): Buffer {
  const key = forge.pki.privateKeyFromPem(keyPem);
  const chain = chainPems.map((p) => forge.pki.certificateFromPem(p));
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, chain, password, {
    algorithm: 'aes256',
    count: 2048,
    friendlyName,
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

export interface OpenedPkcs12 {
  keyPem: string;
  /** The certificate paired with the key. */
  certPem: string;
  /** Any other certificates in the file (e.g. the issuing CA): never trusted for that reason. */
  otherCertPems: string[];
}

/** Opens a PKCS#12 with its PIN; a wrong PIN or a file that is not PKCS#12 gets its own French message. */
export function openPkcs12(p12: Uint8Array, password: string): OpenedPkcs12 {
  let asn1: forge.asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary')), { strict: true } as never);
  } catch {
    throw new AuthError('cert_unreadable', "Le fichier fourni n'est pas un certificat PKCS#12 (.p12) lisible.");
  }
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, true, password);
  } catch (err) {
    if (/MAC could not be verified|Invalid password/i.test((err as Error).message)) {
      throw new AuthError('cert_bad_pin', 'Code PIN incorrect.');
    }
    throw new AuthError('cert_unreadable', "Le fichier PKCS#12 est illisible ou d'un format non pris en charge (ou le code PIN est incorrect).");
  }
  const keyBags = pfx.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ?? [];
  const plainKeyBags = pfx.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? [];
  const keyBag = [...keyBags, ...plainKeyBags].find((b) => b.key);
  if (!keyBag?.key) throw new AuthError('cert_unreadable', 'Le fichier PKCS#12 ne contient pas de clé privée.');
  const key = keyBag.key as forge.pki.rsa.PrivateKey;
  const certs = (pfx.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? [])
    .map((b) => b.cert)
    .filter((c): c is forge.pki.Certificate => Boolean(c));
  // The leaf is the certificate whose public key matches the private key.
  const leaf = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return pub.n !== undefined && pub.n.equals(key.n) && pub.e.equals(key.e);
  });
  if (!leaf) throw new AuthError('cert_unreadable', 'Le fichier PKCS#12 ne contient pas le certificat correspondant à sa clé privée.');
  return {
    keyPem: forge.pki.privateKeyToPem(key),
    certPem: forge.pki.certificateToPem(leaf),
    otherCertPems: certs.filter((c) => c !== leaf).map((c) => forge.pki.certificateToPem(c)),
  };
}

export function certificateFingerprint(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256.replace(/:/g, '').toLowerCase();
}

export interface CertificateIdentity {
  commonName: string;
  uid?: string;
  serialNumber?: string;
  organization?: string;
  organizationalUnits: string[];
  /** RFC 4514-like display of the subject. */
  subject: string;
  fingerprint: string;
  notBefore: string;
  notAfter: string;
}

export function readIdentity(certPem: string): CertificateIdentity {
  const cert = forge.pki.certificateFromPem(certPem);
  const attrs = cert.subject.attributes as unknown as Field[];
  const values = (pred: (a: Field) => boolean) => attrs.filter(pred).map(attributeValue);
  const identity: CertificateIdentity = {
    commonName: values((a) => a.shortName === 'CN')[0] ?? '',
    organizationalUnits: values((a) => a.shortName === 'OU'),
    subject: attrs
      .map((a) => `${a.shortName ?? (a.type === OID_UID ? 'UID' : a.name ?? a.type)}=${attributeValue(a)}`)
      .reverse()
      .join(', '),
    fingerprint: certificateFingerprint(certPem),
    notBefore: cert.validity.notBefore.toISOString(),
    notAfter: cert.validity.notAfter.toISOString(),
  };
  const uid = values((a) => a.type === OID_UID)[0];
  const serial = values((a) => a.name === 'serialNumber')[0];
  const org = values((a) => a.shortName === 'O')[0];
  if (uid !== undefined) identity.uid = uid;
  if (serial !== undefined) identity.serialNumber = serial;
  if (org !== undefined) identity.organization = org;
  return identity;
}

/**
 * Checks a personal certificate against the configured CA: issued and signed by
 * it (native OpenSSL verification), within its validity dates at `now`, an
 * end-entity certificate for client authentication. Returns its identity.
 */
export function verifyPersonalCertificate(certPem: string, caCertPem: string, now: Date): CertificateIdentity {
  let leaf: X509Certificate;
  let ca: X509Certificate;
  try {
    ca = new X509Certificate(caCertPem);
  } catch {
    throw new AuthError('pki_invalid', "Le certificat de l'autorité de certification configurée est illisible.");
  }
  try {
    leaf = new X509Certificate(certPem);
  } catch {
    throw new AuthError('cert_unreadable', 'Le certificat contenu dans le fichier est illisible.');
  }
  if (!ca.ca) throw new AuthError('pki_invalid', "Le certificat configuré comme autorité de certification n'est pas une autorité.");
  // Identical names are not enough: the signature must verify with the CA's key.
  if (!leaf.checkIssued(ca) || !leaf.verify(ca.publicKey)) {
    throw new AuthError(
      'cert_foreign_ca',
      "Ce certificat n'a pas été émis par l'autorité de certification de l'établissement : connexion refusée.",
    );
  }
  // The holder's own dates first: that is the message they can act on.
  const t = now.getTime();
  const notBefore = new Date(leaf.validFrom);
  const notAfter = new Date(leaf.validTo);
  if (t > notAfter.getTime()) {
    throw new AuthError('cert_expired', `Ce certificat a expiré le ${formatLongDateTimeFr(notAfter)} : faites-le renouveler.`);
  }
  if (t < notBefore.getTime()) {
    throw new AuthError('cert_not_yet_valid', `Ce certificat n'est valable qu'à partir du ${formatLongDateTimeFr(notBefore)}.`);
  }
  if (t < Date.parse(ca.validFrom) || t > Date.parse(ca.validTo)) {
    throw new AuthError('pki_invalid', "Le certificat de l'autorité de certification de l'établissement n'est pas valide à cette date.");
  }
  if (leaf.ca) throw new AuthError('cert_invalid', "Ce certificat est celui d'une autorité de certification, pas un certificat personnel.");
  if (!(leaf.keyUsage ?? []).includes(OID_CLIENT_AUTH)) {
    throw new AuthError('cert_invalid', "Ce certificat n'est pas prévu pour l'authentification d'une personne.");
  }
  return readIdentity(certPem);
}

/** SHA-256 of a PEM's DER content (hex): identifies a key or file in the manifest. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
