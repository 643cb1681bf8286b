import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../../fs/atomic-write';
import { AuthError } from '../errors';
import type { User, UserDirectory } from '../user-directory';
import { ManifestSchema, issuePersonalCertificate, pkiDir, type PkiManifest } from './pki';

const YEAR_MS = 365 * 24 * 3600 * 1000;
export const MIN_ENROLMENT_PIN_LENGTH = 6;

/**
 * Issues a personal certificate from the TEST CA for a directory user (new
 * user, renewal), writes D/pki/users/<id>.p12, lists it in the manifest and
 * enrols its fingerprint: from then on only this certificate logs that user in.
 */
export async function enrollUserCertificate(
  dataDir: string,
  directory: Pick<UserDirectory, 'get' | 'setCertificate'>,
  userId: string,
  pin: string,
  options: { now?: () => Date } = {},
): Promise<{ user: User; p12Path: string; fingerprint: string }> {
  const user = directory.get(userId);
  if (!user) throw new AuthError('user_unknown', `Utilisateur inconnu « ${userId} ».`);
  if (user.disabled) throw new AuthError('user_disabled', `Le compte ${user.id} est désactivé : aucun certificat ne lui est délivré.`);
  if (typeof pin !== 'string' || pin.length < MIN_ENROLMENT_PIN_LENGTH || pin.length > 64) {
    throw new AuthError('weak_password', `Le code PIN doit contenir au moins ${MIN_ENROLMENT_PIN_LENGTH} caractères.`);
  }
  const now = (options.now ?? (() => new Date()))().getTime();
  const issued = await issuePersonalCertificate(
    dataDir,
    { userId: user.id, displayName: user.displayName, units: user.units, rpps: user.rpps, pin },
    { notBefore: new Date(now - 3600_000), notAfter: new Date(now + 3 * YEAR_MS) },
  );
  const dir = pkiDir(dataDir);
  const manifestPath = path.join(dir, 'pki.json');
  let manifest: PkiManifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(await fsp.readFile(manifestPath, 'utf8')));
  } catch {
    throw new AuthError('pki_invalid', `Le manifeste de la PKI (${manifestPath}) est absent ou endommagé.`);
  }
  const file = `users/${user.id}.p12`;
  const p12Path = path.join(dir, file);
  await fsp.mkdir(path.dirname(p12Path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(p12Path, issued.p12, { mode: 0o600 });
  const entry = { id: user.id, file, fingerprint: issued.fingerprint, subject: issued.subject, notAfter: issued.notAfter };
  manifest.users = [...manifest.users.filter((u) => u.id !== user.id), entry];
  await writeFileAtomic(manifestPath, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o644 });
  const updated = await directory.setCertificate(user.id, { fingerprint: issued.fingerprint, subject: issued.subject });
  return { user: updated, p12Path, fingerprint: issued.fingerprint };
}

/**
 * Revokes a user's enrolled certificate: the directory refuses it from then on (and any certificate until a new
 * one is enrolled); the PKCS#12 this workstation kept for handing out is deleted and leaves the manifest.
 */
export async function revokeUserCertificate(
  dataDir: string,
  directory: Pick<UserDirectory, 'revokeCertificate'>,
  userId: string,
): Promise<{ user: User; fingerprint: string }> {
  const { user, revoked } = await directory.revokeCertificate(userId);
  const dir = pkiDir(dataDir);
  const manifestPath = path.join(dir, 'pki.json');
  let manifest: PkiManifest | null = null;
  try {
    manifest = ManifestSchema.parse(JSON.parse(await fsp.readFile(manifestPath, 'utf8')));
  } catch {
    // No readable manifest: nothing was handed out from here; the directory's refusal is what counts.
  }
  const entry = manifest?.users.find((u) => u.id === user.id && u.fingerprint === revoked.fingerprint);
  if (manifest && entry) {
    manifest.users = manifest.users.filter((u) => u !== entry);
    await writeFileAtomic(manifestPath, JSON.stringify(manifest, null, 2) + '\n', { mode: 0o644 });
    await fsp.rm(path.join(dir, entry.file), { force: true });
  }
  return { user, fingerprint: revoked.fingerprint };
}
