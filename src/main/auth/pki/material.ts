import { randomBytes } from 'node:crypto';
import {
  certificateFingerprint,
  generateRsaKeyPair,
  generateRsaKeyPairAsync,
  issueCertificate,
  type KeyPairPem,
  packPkcs12,
  readIdentity,
  type SubjectSpec,
} from './forge-ops';

/**
 * Builds the TEST PKI material in memory (no disk): run inside the forge
 * worker, the caller writes the result. Every name says TEST so nobody
 * mistakes it for IGC Santé material.
 */

export const TEST_ORGANIZATION = 'CHU TEST';
export const TEST_CA_NAME = 'CHU TEST - AC racine de test';
export const TEST_ESTABLISHMENT_NAME = 'CHU TEST - Établissement';
export const TEST_WORKSTATION_NAME = 'CHU TEST - Poste clinique (signature du journal)';
/** FINESS-like, fictitious: 9 digits; FINESS numbers starting with 99 are not attributed to real sites here. */
export const TEST_FINESS = '990000014';

const YEAR_MS = 365 * 24 * 3600 * 1000;

export interface PersonalCertRequest {
  userId: string;
  displayName: string;
  units: string[];
  rpps?: string;
  pin: string;
}

export interface IssuedPersonal {
  userId: string;
  p12: Uint8Array;
  certPem: string;
  fingerprint: string;
  subject: string;
  notAfter: string;
}

export interface PkiMaterial {
  ca: { keyPem: string; certPem: string };
  establishment: { keyPem: string; certPem: string; p12: Uint8Array; passphrase: string; finess: string };
  workstation: { certPem: string; p12: Uint8Array; passphrase: string };
  users: IssuedPersonal[];
}

/** A random passphrase for files only software opens (establishment, workstation). */
export function randomPassphrase(): string {
  return randomBytes(24).toString('base64url');
}

export function personalSubject(req: Omit<PersonalCertRequest, 'pin'>): SubjectSpec {
  const subject: SubjectSpec = {
    commonName: req.displayName,
    uid: req.userId,
    organization: TEST_ORGANIZATION,
    organizationalUnits: req.units,
  };
  if (req.rpps) subject.serialNumber = req.rpps;
  return subject;
}

export function issuePersonal(
  ca: { keyPem: string; certPem: string },
  req: PersonalCertRequest,
  validity: { notBefore: Date; notAfter: Date },
  keys: KeyPairPem = generateRsaKeyPair(),
): IssuedPersonal {
  const certPem = issueCertificate({
    profile: 'personal',
    subject: personalSubject(req),
    publicKeyPem: keys.publicKeyPem,
    issuer: ca,
    ...validity,
  });
  const identity = readIdentity(certPem);
  return {
    userId: req.userId,
    p12: packPkcs12(keys.privateKeyPem, [certPem, ca.certPem], req.pin, req.userId),
    certPem,
    fingerprint: identity.fingerprint,
    subject: identity.subject,
    notAfter: identity.notAfter,
  };
}

export async function generatePkiMaterial(nowMs: number, users: PersonalCertRequest[]): Promise<PkiMaterial> {
  // Backdated an hour so a workstation clock slightly behind still accepts fresh certificates.
  const notBefore = new Date(nowMs - 3600_000);
  // All keys at once on the thread pool: key generation dominates the cost.
  const [caKeys, estKeys, wsKeys, ...userKeys] = await Promise.all(
    [2048, 2048, 2048, ...users.map(() => 2048)].map((bits) => generateRsaKeyPairAsync(bits)),
  );
  if (!caKeys || !estKeys || !wsKeys) throw new Error('key generation failed');
  const caCertPem = issueCertificate({
    profile: 'ca',
    subject: { commonName: TEST_CA_NAME, organization: TEST_ORGANIZATION, organizationalUnits: ['TEST - ne pas utiliser en production'] },
    publicKeyPem: caKeys.publicKeyPem,
    selfSignKeyPem: caKeys.privateKeyPem,
    notBefore,
    notAfter: new Date(nowMs + 10 * YEAR_MS),
  });
  const ca = { keyPem: caKeys.privateKeyPem, certPem: caCertPem };
  const leafValidity = { notBefore, notAfter: new Date(nowMs + 3 * YEAR_MS) };

  const estCertPem = issueCertificate({
    profile: 'establishment',
    subject: { commonName: TEST_ESTABLISHMENT_NAME, serialNumber: TEST_FINESS, organization: TEST_ORGANIZATION },
    publicKeyPem: estKeys.publicKeyPem,
    issuer: ca,
    ...leafValidity,
  });
  const estPass = randomPassphrase();

  const wsCertPem = issueCertificate({
    profile: 'workstation',
    subject: { commonName: TEST_WORKSTATION_NAME, organization: TEST_ORGANIZATION },
    publicKeyPem: wsKeys.publicKeyPem,
    issuer: ca,
    ...leafValidity,
  });
  const wsPass = randomPassphrase();

  return {
    ca,
    establishment: {
      keyPem: estKeys.privateKeyPem,
      certPem: estCertPem,
      p12: packPkcs12(estKeys.privateKeyPem, [estCertPem, caCertPem], estPass, 'establishment'),
      passphrase: estPass,
      finess: TEST_FINESS,
    },
    workstation: {
      certPem: wsCertPem,
      p12: packPkcs12(wsKeys.privateKeyPem, [wsCertPem, caCertPem], wsPass, 'workstation'),
      passphrase: wsPass,
    },
    users: users.map((u, i) => issuePersonal(ca, u, leafValidity, userKeys[i])),
  };
}

export { certificateFingerprint };
