import { AuthError } from './errors';
import type { CertificateIdentity } from './pki/forge-ops';
import { runForgeTask } from './pki/forge-client';
import type { User, UserDirectory } from './user-directory';

/** A PKCS#12 of a person is a few kilobytes; refuse anything absurd before the worker sees it. */
const MAX_P12_BYTES = 64 * 1024;

export interface CertificateLoginInput {
  p12: Uint8Array;
  pin: string;
  caCertPem: string;
  now: Date;
  directory: Pick<UserDirectory, 'get'>;
}

export interface CertificateLoginResult {
  user: User;
  certificate: CertificateIdentity;
}

/**
 * Login with a personal certificate (the software CPS): the PKCS#12 is opened
 * and checked in the forge worker (PIN, chain to the configured CA, validity
 * dates, client-auth usage); its subject's UID names the directory user, and
 * an enrolled fingerprint must match. Throws AuthError with a French message.
 */
export async function loginWithCertificate(input: CertificateLoginInput): Promise<CertificateLoginResult> {
  if (!(input?.p12 instanceof Uint8Array) || input.p12.length === 0) {
    throw new AuthError('invalid_input', 'Aucun fichier de certificat (.p12) fourni.');
  }
  if (input.p12.length > MAX_P12_BYTES) throw new AuthError('cert_unreadable', 'Ce fichier est trop volumineux pour être un certificat personnel.');
  if (typeof input.pin !== 'string' || input.pin.length === 0 || input.pin.length > 128) {
    throw new AuthError('invalid_input', 'Saisissez le code PIN du certificat.');
  }
  if (typeof input.caCertPem !== 'string' || !input.caCertPem.includes('BEGIN CERTIFICATE')) {
    throw new AuthError('pki_invalid', "Aucune autorité de certification n'est configurée sur ce poste.");
  }
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) throw new AuthError('invalid_input', 'Date de vérification invalide.');

  const certificate = await runForgeTask({
    op: 'loginCertificate',
    p12: input.p12,
    pin: input.pin,
    caCertPem: input.caCertPem,
    nowMs: input.now.getTime(),
  });

  try {
    return checkAgainstDirectory(certificate, input.directory);
  } catch (err) {
    if (err instanceof AuthError && !err.attemptedId) err.attemptedId = (certificate.uid || certificate.commonName).slice(0, 64);
    throw err;
  }
}

/** Once the certificate is open and genuine: is it the enrolled, unrevoked certificate of an active user? */
function checkAgainstDirectory(certificate: CertificateIdentity, directory: Pick<UserDirectory, 'get'>): CertificateLoginResult {
  if (!certificate.uid) {
    throw new AuthError('cert_unknown_user', `Le certificat « ${certificate.commonName} » ne porte pas d'identifiant d'utilisateur de ce poste.`);
  }
  const user = directory.get(certificate.uid);
  if (!user) {
    throw new AuthError('cert_unknown_user', `Le certificat « ${certificate.commonName} » ne correspond à aucun utilisateur de ce poste.`);
  }
  if (user.revokedFingerprints.includes(certificate.fingerprint)) {
    throw new AuthError('cert_not_enrolled', `Ce certificat a été révoqué par l'administrateur : demandez-lui un nouveau certificat.`);
  }
  // After a revocation only a newly enrolled certificate logs in: an older one issued to the same id must not.
  if (!user.certificate && user.revokedFingerprints.length > 0) {
    throw new AuthError('cert_not_enrolled', `Aucun certificat valide n'est enregistré pour ${user.displayName} : demandez un nouveau certificat à l'administrateur.`);
  }
  if (user.certificate && user.certificate.fingerprint !== certificate.fingerprint) {
    throw new AuthError(
      'cert_not_enrolled',
      `Ce certificat n'est pas celui enregistré pour ${user.displayName} : utilisez votre certificat actuel ou faites enregistrer le nouveau par l'administrateur.`,
    );
  }
  if (user.rpps && certificate.serialNumber && certificate.serialNumber !== user.rpps) {
    throw new AuthError('cert_invalid', `Le numéro RPPS du certificat ne correspond pas à celui de ${user.displayName}.`);
  }
  if (user.disabled) throw new AuthError('user_disabled', 'Ce compte est désactivé. Adressez-vous à l’administrateur du poste.');
  return { user, certificate };
}

/** Opens a software-held PKCS#12 (workstation or establishment key) in the worker. */
export function openPkcs12InWorker(p12: Uint8Array, passphrase: string) {
  return runForgeTask({ op: 'openPkcs12', p12, password: passphrase });
}
