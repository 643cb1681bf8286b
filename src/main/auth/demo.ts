import { promises as fsp } from 'node:fs';
import { AuthError } from './errors';
import { initPki, pkiDir, type LoadedPki } from './pki/pki';
import type { Role } from './roles';
import type { SecretStore } from './secret-store';
import { withLuhnKey } from './rpps';
import { openUserDirectory, usersFilePath, type NewUserInput, type UserDirectoryOptions } from './user-directory';

/**
 * The demo data directory: one user per role, a TEST PKI with a personal
 * certificate per user. These passwords and PINs are public demo values,
 * listed in the README; a hospital install never runs this.
 */

export interface DemoAccount {
  id: string;
  displayName: string;
  role: Role;
  units: string[];
  rpps?: string;
  password: string;
  pin: string;
}

export const DEMO_PIN = '1234';

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { id: 'dr.martin', displayName: 'Dr Claire Martin', role: 'medecin', units: ['Cardiologie'], rpps: withLuhnKey('1000000101'), password: 'Demo-Martin-2026', pin: DEMO_PIN },
  { id: 'int.durand', displayName: 'Lucas Durand', role: 'interne', units: ['Chirurgie digestive'], rpps: withLuhnKey('1000000102'), password: 'Demo-Durand-2026', pin: DEMO_PIN },
  { id: 'sec.bernard', displayName: 'Sophie Bernard', role: 'secretaire_medicale', units: ['Cardiologie'], password: 'Demo-Bernard-2026', pin: DEMO_PIN },
  { id: 'urg.petit', displayName: 'Dr Julien Petit', role: 'urgentiste', units: ['Urgences'], rpps: withLuhnKey('1000000103'), password: 'Demo-Petit-2026', pin: DEMO_PIN },
  { id: 'inf.robert', displayName: 'Camille Robert', role: 'infirmier', units: ['Cardiologie'], password: 'Demo-Robert-2026', pin: DEMO_PIN },
  { id: 'dpo.leroy', displayName: 'Nathalie Leroy', role: 'dpo', units: [], password: 'Demo-Leroy-2026', pin: DEMO_PIN },
  { id: 'admin', displayName: 'Administrateur du poste', role: 'admin', units: [], password: 'Demo-Poste-2026', pin: DEMO_PIN },
];

export const DEMO_UNITS = ['Cardiologie', 'Chirurgie digestive', 'Urgences'] as const;

export interface DemoResult {
  /** False when the data dir already had a user directory: nothing was touched. */
  created: boolean;
  accounts: (DemoAccount & { p12Path?: string })[];
}

export async function initDemo(
  dataDir: string,
  options: Pick<UserDirectoryOptions, 'now' | 'scrypt'> & { secrets?: SecretStore } = {},
): Promise<DemoResult> {
  const usersFile = usersFilePath(dataDir);
  const hasDirectory = await fsp.access(usersFile).then(
    () => true,
    () => false,
  );
  if (hasDirectory) return { created: false, accounts: DEMO_ACCOUNTS.map((a) => ({ ...a })) };
  const hasPki = await fsp.access(pkiDir(dataDir)).then(
    () => true,
    () => false,
  );
  if (hasPki) {
    throw new AuthError(
      'pki_invalid',
      `${pkiDir(dataDir)} existe déjà sans annuaire des utilisateurs : init-demo refuse de l'écraser. S'il s'agit d'un reste d'initialisation interrompue, supprimez ce dossier puis relancez.`,
    );
  }
  const pki: LoadedPki = await initPki(
    dataDir,
    DEMO_ACCOUNTS.map((a) => ({ userId: a.id, displayName: a.displayName, units: a.units, rpps: a.rpps, pin: a.pin })),
    { now: options.now, secrets: options.secrets },
  );
  const byId = new Map(pki.users.map((u) => [u.id, u]));
  const directory = await openUserDirectory(dataDir, { now: options.now, scrypt: options.scrypt });
  // One atomic write: the directory appears complete or not at all.
  await directory.addMany(
    DEMO_ACCOUNTS.map((a): NewUserInput => {
      const cert = byId.get(a.id)!;
      const input: NewUserInput = {
        id: a.id,
        displayName: a.displayName,
        role: a.role,
        units: a.units,
        password: a.password,
        certificate: { fingerprint: cert.fingerprint, subject: cert.subject },
      };
      if (a.rpps) input.rpps = a.rpps;
      return input;
    }),
  );
  return { created: true, accounts: DEMO_ACCOUNTS.map((a) => ({ ...a, p12Path: byId.get(a.id)?.p12Path })) };
}
