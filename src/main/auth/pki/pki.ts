import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../fs/atomic-write';
import { AuthError } from '../errors';
import { createFileSecretStore, type SecretStore } from '../secret-store';
import { runForgeTask } from './forge-client';
import { TEST_CA_NAME, TEST_ESTABLISHMENT_NAME, type IssuedPersonal, type PersonalCertRequest } from './material';

/**
 * The TEST PKI of a data directory, under D/pki:
 *   ca.cert.pem, ca.key.pem (0600)            TEST root CA (its key enrols new users)
 *   establishment.{cert,key}.pem, .p12        DMP mutual TLS and VIHF signature
 *   workstation.cert.pem, workstation.p12     audit journal signing key
 *   workstation.pass, establishment.pass      passphrases (file secret store, 0600)
 *   users/<id>.p12                            one personal certificate per user, PIN-protected
 *   pki.json                                  manifest (written last: its presence means complete)
 */

export const PKI_DIR_NAME = 'pki';
export const WORKSTATION_SECRET = 'workstation';
export const ESTABLISHMENT_SECRET = 'establishment';

export const ManifestSchema = z.object({
  format: z.literal('chu-workstation/pki'),
  version: z.literal(1),
  test: z.literal(true),
  createdAt: z.string().datetime(),
  caName: z.string(),
  establishment: z.object({ name: z.string(), finess: z.string().regex(/^[0-9]{9}$/) }),
  users: z.array(
    z.object({
      id: z.string(),
      file: z.string(),
      fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
      subject: z.string(),
      notAfter: z.string(),
    }),
  ),
});

export type PkiManifest = z.infer<typeof ManifestSchema>;

export interface IssuedUserCertificate {
  id: string;
  p12Path: string;
  fingerprint: string;
  subject: string;
  notAfter: string;
}

export interface LoadedPki {
  dir: string;
  caCertPem: string;
  establishment: { keyPem: string; certPem: string; p12Path: string; finess: string; passphraseSecret: string };
  workstation: { p12Path: string; certPem: string; passphraseSecret: string };
  users: IssuedUserCertificate[];
  /** Reads a passphrase (workstation, establishment) from the store the PKI was created with. */
  readPassphrase(name: string): Promise<string>;
}

export interface PkiOptions {
  now?: () => Date;
  /** Defaults to 0600 files in D/pki. */
  secrets?: SecretStore;
}

export function pkiDir(dataDir: string): string {
  return path.join(dataDir, PKI_DIR_NAME);
}

async function exists(p: string): Promise<boolean> {
  return fsp.access(p).then(
    () => true,
    () => false,
  );
}

/**
 * Generates the TEST PKI in the forge worker, writes it into a temporary
 * directory and renames that into place: an interrupted run leaves no D/pki.
 */
export async function initPki(dataDir: string, users: PersonalCertRequest[], options: PkiOptions = {}): Promise<LoadedPki> {
  const dir = pkiDir(dataDir);
  if (await exists(dir)) {
    throw new AuthError('pki_invalid', `Une PKI existe déjà dans ${dir} : elle n'est jamais régénérée automatiquement.`);
  }
  for (const u of users) {
    if (!/^[a-z][a-z0-9._-]{1,31}$/.test(u.userId)) throw new AuthError('invalid_input', `Identifiant d'utilisateur invalide « ${u.userId} ».`);
    if (typeof u.pin !== 'string' || u.pin.length < 4) throw new AuthError('invalid_input', 'Le code PIN doit contenir au moins 4 caractères.');
  }
  const now = (options.now ?? (() => new Date()))();
  const material = await runForgeTask({ op: 'generatePki', nowMs: now.getTime(), users });

  await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dataDir, `.${PKI_DIR_NAME}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fsp.mkdir(path.join(tmp, 'users'), { recursive: true, mode: 0o700 });
    const write = (name: string, data: string | Uint8Array, mode = 0o600) => writeFileAtomic(path.join(tmp, name), data, { mode });
    await write('ca.cert.pem', material.ca.certPem, 0o644);
    await write('ca.key.pem', material.ca.keyPem);
    await write('establishment.cert.pem', material.establishment.certPem, 0o644);
    await write('establishment.key.pem', material.establishment.keyPem);
    await write('establishment.p12', material.establishment.p12);
    await write('workstation.cert.pem', material.workstation.certPem, 0o644);
    await write('workstation.p12', material.workstation.p12);
    for (const u of material.users) await write(path.join('users', `${u.userId}.p12`), u.p12);
    if (options.secrets) {
      // Stored before the rename: a crash in between only leaves unused secrets, never a PKI without them.
      await options.secrets.set(WORKSTATION_SECRET, material.workstation.passphrase);
      await options.secrets.set(ESTABLISHMENT_SECRET, material.establishment.passphrase);
    } else {
      const fileStore = createFileSecretStore(tmp);
      await fileStore.set(WORKSTATION_SECRET, material.workstation.passphrase);
      await fileStore.set(ESTABLISHMENT_SECRET, material.establishment.passphrase);
    }
    const manifest: PkiManifest = {
      format: 'chu-workstation/pki',
      version: 1,
      test: true,
      createdAt: now.toISOString(),
      caName: TEST_CA_NAME,
      establishment: { name: TEST_ESTABLISHMENT_NAME, finess: material.establishment.finess },
      users: material.users.map((u) => ({
        id: u.userId,
        file: `users/${u.userId}.p12`,
        fingerprint: u.fingerprint,
        subject: u.subject,
        notAfter: u.notAfter,
      })),
    };
    await write('pki.json', JSON.stringify(manifest, null, 2) + '\n', 0o644);
    await fsp.rename(tmp, dir);
  } catch (err) {
    await fsp.rm(tmp, { recursive: true, force: true });
    throw err;
  }
  return loadPki(dataDir, options);
}

/** Loads the PKI of a data dir; a missing or damaged one is a French error naming what is wrong. */
export async function loadPki(dataDir: string, options: Pick<PkiOptions, 'secrets'> = {}): Promise<LoadedPki> {
  const dir = pkiDir(dataDir);
  const manifestPath = path.join(dir, 'pki.json');
  let raw: string;
  try {
    raw = await fsp.readFile(manifestPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AuthError('pki_missing', `Aucune PKI dans ${dir} : initialisez le poste (npm run users -- init-demo pour une démonstration).`);
    }
    throw err;
  }
  let manifest: PkiManifest;
  try {
    manifest = ManifestSchema.parse(JSON.parse(raw));
  } catch {
    throw new AuthError('pki_invalid', `Le manifeste de la PKI (${manifestPath}) est endommagé : restaurez le dossier ${dir} depuis une sauvegarde.`);
  }
  const read = async (name: string) => {
    try {
      return await fsp.readFile(path.join(dir, name), 'utf8');
    } catch {
      throw new AuthError('pki_invalid', `Fichier manquant ou illisible dans la PKI : ${path.join(dir, name)}.`);
    }
  };
  const secrets = options.secrets ?? createFileSecretStore(dir);
  return {
    dir,
    caCertPem: await read('ca.cert.pem'),
    establishment: {
      keyPem: await read('establishment.key.pem'),
      certPem: await read('establishment.cert.pem'),
      p12Path: path.join(dir, 'establishment.p12'),
      finess: manifest.establishment.finess,
      passphraseSecret: ESTABLISHMENT_SECRET,
    },
    workstation: {
      p12Path: path.join(dir, 'workstation.p12'),
      certPem: await read('workstation.cert.pem'),
      passphraseSecret: WORKSTATION_SECRET,
    },
    users: manifest.users.map((u) => ({ id: u.id, p12Path: path.join(dir, u.file), fingerprint: u.fingerprint, subject: u.subject, notAfter: u.notAfter })),
    async readPassphrase(name: string) {
      const value = await secrets.get(name);
      if (value === null) throw new AuthError('pki_invalid', `La phrase secrète « ${name} » de la PKI est introuvable.`);
      return value;
    },
  };
}

/** Reads the TEST CA key and certificate, for enrolling a user added later. */
export async function loadTestCa(dataDir: string): Promise<{ keyPem: string; certPem: string }> {
  const dir = pkiDir(dataDir);
  try {
    return {
      keyPem: await fsp.readFile(path.join(dir, 'ca.key.pem'), 'utf8'),
      certPem: await fsp.readFile(path.join(dir, 'ca.cert.pem'), 'utf8'),
    };
  } catch {
    throw new AuthError('pki_missing', `L'autorité de certification de test est introuvable dans ${dir}.`);
  }
}

/**
 * Issues a personal certificate (PKCS#12 + PIN) from the TEST CA, in memory:
 * for enrolling a user added after the demo, or renewing one. The caller
 * stores the file and records the fingerprint with directory.setCertificate().
 */
export async function issuePersonalCertificate(
  dataDir: string,
  user: PersonalCertRequest,
  validity: { notBefore: Date; notAfter: Date },
): Promise<IssuedPersonal> {
  if (!/^[a-z][a-z0-9._-]{1,31}$/.test(user.userId)) throw new AuthError('invalid_input', `Identifiant d'utilisateur invalide « ${user.userId} ».`);
  if (typeof user.pin !== 'string' || user.pin.length < 4) throw new AuthError('invalid_input', 'Le code PIN doit contenir au moins 4 caractères.');
  const ca = await loadTestCa(dataDir);
  return runForgeTask({ op: 'issuePersonal', ca, user, notBeforeMs: validity.notBefore.getTime(), notAfterMs: validity.notAfter.getTime() });
}
