import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomic, type AtomicWriteFs } from '../fs/atomic-write';
import { AuthError } from './errors';
import { createLoginThrottle } from './login-throttle';
import {
  DEFAULT_SCRYPT,
  PasswordHashSchema,
  assertPasswordPolicy,
  hasControlChar,
  hashPassword,
  verifyPasswordHash,
  type PasswordHash,
  type ScryptParams,
} from './password';
import { ROLES, ROLE_LABELS, RPPS_RULE, roleHasCareUnits, type Role } from './roles';
import { isRppsFormat } from './rpps';

export const USERS_FILE_NAME = 'users.json';
export const LOGIN_FAILURES_FILE = 'login-failures.json';
const FILE_FORMAT = 'chu-workstation/users';

const USER_ID = /^[a-z][a-z0-9._-]{1,31}$/;

const CertificateRefSchema = z.object({
  /** SHA-256 of the certificate's DER, lowercase hex. */
  fingerprint: z.string().regex(/^[0-9a-f]{64}$/),
  subject: z.string().min(1).max(1000),
});

const StoredUserSchema = z.object({
  id: z.string().regex(USER_ID),
  displayName: z.string().min(1).max(100),
  role: z.enum(ROLES),
  units: z.array(z.string().min(1).max(80)),
  rpps: z.string().regex(/^[0-9]{11}$/).optional(),
  password: PasswordHashSchema,
  disabled: z.boolean(),
  certificate: CertificateRefSchema.optional(),
  /** Certificates withdrawn by the administrator: refused at certificate login for good. */
  revokedCertificates: z.array(CertificateRefSchema.extend({ revokedAt: z.string().datetime() })).optional(),
  createdAt: z.string().datetime(),
  updatedAt: z.string().datetime(),
});

const UsersFileSchema = z
  .object({
    format: z.literal(FILE_FORMAT),
    version: z.literal(1),
    users: z.array(StoredUserSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    for (const u of file.users) {
      if (seen.has(u.id)) ctx.addIssue({ code: 'custom', message: `identifiant en double « ${u.id} »` });
      seen.add(u.id);
    }
  });

type StoredUser = z.infer<typeof StoredUserSchema>;
type UsersFile = z.infer<typeof UsersFileSchema>;
export type CertificateRef = z.infer<typeof CertificateRefSchema>;

/** A directory entry as the rest of the app sees it: never the password hash. */
export interface User {
  id: string;
  displayName: string;
  role: Role;
  units: string[];
  rpps?: string;
  disabled: boolean;
  certificate?: CertificateRef;
  /** Fingerprints of revoked certificates (SHA-256 hex). */
  revokedFingerprints: string[];
  createdAt: string;
  updatedAt: string;
}

/** What an administrator may change on an existing account. */
export interface UserAssignment {
  role: Role;
  units: string[];
  rpps?: string;
}

export interface NewUserInput {
  id: string;
  displayName: string;
  role: Role;
  units?: string[];
  rpps?: string;
  password: string;
  certificate?: CertificateRef;
}

export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; code: 'invalid_credentials' | 'account_locked' | 'user_disabled'; message: string; retryAfterMs?: number };

export interface UserDirectoryOptions {
  /** Injected clock (lockout windows). */
  now?: () => Date;
  /** scrypt cost for new hashes; stored hashes keep their own. */
  scrypt?: ScryptParams;
  maxFailures?: number;
  lockoutMs?: number;
  /** Only for tests: replaces the file operations of the atomic write. */
  fs?: AtomicWriteFs;
}

export interface UserDirectory {
  readonly file: string;
  list(): User[];
  get(id: string): User | null;
  isEmpty(): boolean;
  add(input: NewUserInput): Promise<User>;
  /** Adds several users in one atomic write: all or none. */
  addMany(inputs: NewUserInput[]): Promise<User[]>;
  disable(id: string): Promise<User>;
  enable(id: string): Promise<User>;
  resetPassword(id: string, password: string): Promise<void>;
  /** Changes role, units and RPPS together, checked as a new account would be. */
  assign(id: string, assignment: UserAssignment): Promise<User>;
  /** Whether failed logins currently lock this account (in memory, see login-throttle). */
  isLocked(id: string): boolean;
  /** Lifts a lockout before its delay ends. */
  unlock(id: string): void;
  /** Withdraws the enrolled certificate: it is refused from then on, and so is any certificate until a new one is enrolled. */
  revokeCertificate(id: string): Promise<{ user: User; revoked: CertificateRef }>;
  /** Enrols (or with null removes) the personal certificate required at certificate login. */
  setCertificate(id: string, certificate: CertificateRef | null): Promise<User>;
  /** Password login with lockout; unknown ids and wrong passwords are indistinguishable. */
  authenticate(id: string, password: string): Promise<LoginResult>;
  /**
   * Runs a certificate check under the lockout of that card (key: a hash of the PKCS#12), counted like
   * passwords: a wrong PIN is a failure, and so is any refused certificate.
   */
  throttledCertificate<T>(cardKey: string, check: () => Promise<T>): Promise<T>;
  /** authenticate() reduced to the user or null. */
  verifyPassword(id: string, password: string): Promise<User | null>;
  /** Re-reads the file (another process, e.g. the CLI, may have changed it). */
  reload(): Promise<void>;
}

export function usersFilePath(dataDir: string): string {
  return path.join(dataDir, USERS_FILE_NAME);
}

function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.join('.')} : ${i.message}` : i.message))
    .join(' ; ');
}

/**
 * Reads and validates users.json. Missing file → null. A damaged file is an
 * error naming the file; it is never rewritten behind the administrator's back.
 */
export async function readUsersFile(file: string): Promise<UsersFile | null> {
  let raw: string;
  try {
    raw = await fsp.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AuthError('directory_unreadable', `Impossible de lire l'annuaire des utilisateurs (${file}) : ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new AuthError(
      'directory_unreadable',
      `L'annuaire des utilisateurs (${file}) est endommagé (JSON illisible). Il n'a pas été modifié : restaurez-le depuis une sauvegarde.`,
    );
  }
  const result = UsersFileSchema.safeParse(parsed);
  if (!result.success) {
    throw new AuthError(
      'directory_invalid',
      `L'annuaire des utilisateurs (${file}) a un contenu invalide (${formatIssues(result.error)}). Il n'a pas été modifié : restaurez-le depuis une sauvegarde.`,
    );
  }
  return result.data;
}

/** True when the data dir has no user yet: the app shows the first-run screen that creates the admin. */
export async function firstRunNeeded(dataDir: string): Promise<boolean> {
  const file = await readUsersFile(usersFilePath(dataDir));
  return file === null || file.users.length === 0;
}

function toPublic(u: StoredUser): User {
  const user: User = {
    id: u.id,
    displayName: u.displayName,
    role: u.role,
    units: [...u.units],
    disabled: u.disabled,
    revokedFingerprints: (u.revokedCertificates ?? []).map((c) => c.fingerprint),
    createdAt: u.createdAt,
    updatedAt: u.updatedAt,
  };
  if (u.rpps !== undefined) user.rpps = u.rpps;
  if (u.certificate !== undefined) user.certificate = { ...u.certificate };
  return user;
}

export function normalizeUserId(id: unknown): string {
  return typeof id === 'string' ? id.trim().toLowerCase() : '';
}

function invalid(message: string): AuthError {
  return new AuthError('invalid_input', message);
}

/** Checks a new user's fields; returns them normalised. */
function validateNewUser(input: NewUserInput): Omit<NewUserInput, 'password'> & { units: string[] } {
  if (typeof input !== 'object' || input === null) throw invalid('Les informations du nouvel utilisateur sont manquantes.');
  const id = normalizeUserId(input.id);
  if (!USER_ID.test(id)) {
    throw invalid(
      "Identifiant invalide : 2 à 32 caractères, commençant par une lettre, parmi lettres minuscules sans accent, chiffres, « . », « _ » et « - » (ex. « dr.martin »).",
    );
  }
  const displayName = typeof input.displayName === 'string' ? input.displayName.trim().replace(/\s+/g, ' ') : '';
  if (!displayName || displayName.length > 100 || hasControlChar(displayName)) {
    throw invalid('Nom affiché invalide : 1 à 100 caractères, sans caractère de contrôle.');
  }
  if (!(ROLES as readonly string[]).includes(input.role)) {
    throw invalid(`Rôle inconnu « ${String(input.role)} ». Rôles possibles : ${ROLES.join(', ')}.`);
  }
  const role = input.role;
  const rawUnits = input.units ?? [];
  if (!Array.isArray(rawUnits) || rawUnits.some((u) => typeof u !== 'string')) throw invalid("Les unités de soins doivent être une liste de noms.");
  const units = [...new Set(rawUnits.map((u) => u.trim().replace(/\s+/g, ' ')).filter((u) => u.length > 0))];
  if (units.some((u) => u.length > 80 || hasControlChar(u))) throw invalid("Nom d'unité de soins invalide (80 caractères au plus).");
  if (roleHasCareUnits(role) && units.length === 0) {
    throw invalid(`Un utilisateur de rôle « ${ROLE_LABELS[role]} » doit être rattaché à au moins une unité de soins.`);
  }
  if (!roleHasCareUnits(role) && units.length > 0) {
    throw invalid(`Le rôle « ${ROLE_LABELS[role]} » n'a pas accès aux données patients : aucune unité de soins ne doit lui être attribuée.`);
  }
  const rpps = input.rpps === undefined || input.rpps === '' ? undefined : String(input.rpps).trim();
  const rule = RPPS_RULE[role];
  if (rpps === undefined && rule === 'required') throw invalid(`Le numéro RPPS est obligatoire pour le rôle « ${ROLE_LABELS[role]} ».`);
  if (rpps !== undefined && rule === 'none') throw invalid(`Le rôle « ${ROLE_LABELS[role]} » n'a pas de numéro RPPS.`);
  if (rpps !== undefined && !isRppsFormat(rpps)) throw invalid(`Numéro RPPS invalide « ${rpps} » : 11 chiffres attendus.`);
  let certificate: CertificateRef | undefined;
  if (input.certificate !== undefined) {
    const parsed = CertificateRefSchema.safeParse(input.certificate);
    if (!parsed.success) throw invalid('Référence de certificat invalide (empreinte SHA-256 en hexadécimal attendue).');
    certificate = parsed.data;
  }
  const result: Omit<NewUserInput, 'password'> & { units: string[] } = { id, displayName, role, units };
  if (rpps !== undefined) result.rpps = rpps;
  if (certificate !== undefined) result.certificate = certificate;
  return result;
}

/**
 * The users file as the directory sees it: read once, every change a serialised read-modify-write against the
 * file on disk, committed to memory only once durable.
 */
async function openUsersStore(dataDir: string, file: string, fs: AtomicWriteFs | undefined) {
  const empty = (): UsersFile => ({ format: FILE_FORMAT, version: 1, users: [] });
  let state: UsersFile = (await readUsersFile(file)) ?? empty();
  let queue: Promise<unknown> = Promise.resolve();
  return {
    get users() {
      return state.users;
    },
    find(id: string): StoredUser | undefined {
      const key = normalizeUserId(id);
      return state.users.find((u) => u.id === key);
    },
    mutate<T>(change: (draft: UsersFile) => T): Promise<T> {
      const run = async (): Promise<T> => {
        const draft: UsersFile = structuredClone((await readUsersFile(file)) ?? empty());
        const result = change(draft);
        const checked = UsersFileSchema.safeParse(draft);
        if (!checked.success) throw invalid(`Modification refusée : ${formatIssues(checked.error)}`);
        await fsp.mkdir(dataDir, { recursive: true, mode: 0o700 });
        await writeFileAtomic(file, JSON.stringify(checked.data, null, 2) + '\n', { mode: 0o600, fs });
        state = checked.data;
        return result;
      };
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
    async reload(): Promise<void> {
      await queue;
      state = (await readUsersFile(file)) ?? empty();
    },
  };
}

function requireUser(draft: UsersFile, id: string): StoredUser {
  const key = normalizeUserId(id);
  const user = draft.users.find((u) => u.id === key);
  if (!user) throw new AuthError('user_unknown', `Utilisateur inconnu « ${key} ».`);
  return user;
}

/** What only an administrator does to an existing account: role and units, lockout, certificate revocation. */
function administration(
  store: Awaited<ReturnType<typeof openUsersStore>>,
  throttle: ReturnType<typeof createLoginThrottle>,
  now: () => Date,
): Pick<UserDirectory, 'assign' | 'isLocked' | 'unlock' | 'revokeCertificate'> {
  const { find, mutate } = store;
  return {
    assign(id, assignment) {
      return mutate((draft) => {
        const user = requireUser(draft, id);
        const fields = validateNewUser({ id: user.id, displayName: user.displayName, role: assignment.role, units: assignment.units, password: '', ...(assignment.rpps ? { rpps: assignment.rpps } : {}) });
        if (user.role === 'admin' && fields.role !== 'admin' && !user.disabled && draft.users.filter((u) => u.role === 'admin' && !u.disabled).length <= 1) {
          throw invalid('Impossible de retirer le rôle d’administrateur au dernier administrateur actif : créez d’abord un autre administrateur.');
        }
        if (fields.rpps && draft.users.some((u) => u.id !== user.id && u.rpps === fields.rpps)) {
          throw new AuthError('user_exists', `Le numéro RPPS ${fields.rpps} est déjà attribué à un autre utilisateur.`);
        }
        user.role = fields.role;
        user.units = fields.units;
        if (fields.rpps) user.rpps = fields.rpps;
        else delete user.rpps;
        user.updatedAt = now().toISOString();
        return toPublic(user);
      });
    },

    isLocked: (id) => throttle.lockedNow(normalizeUserId(id)) !== undefined,

    unlock(id) {
      const key = normalizeUserId(id);
      if (!find(key)) throw new AuthError('user_unknown', `Utilisateur inconnu « ${key} ».`);
      // The count is cleared at once in memory; the file follows in the throttle's write chain.
      void throttle.clear(key);
    },

    revokeCertificate(id) {
      return mutate((draft) => {
        const user = requireUser(draft, id);
        const cert = user.certificate;
        if (!cert) throw invalid(`Aucun certificat n’est enregistré pour ${user.displayName} : rien à révoquer.`);
        user.revokedCertificates = [...(user.revokedCertificates ?? []), { ...cert, revokedAt: now().toISOString() }];
        delete user.certificate;
        user.updatedAt = now().toISOString();
        return { user: toPublic(user), revoked: { ...cert } };
      });
    },
  };
}

/** Certificate checks under a per-card lockout (see UserDirectory.throttledCertificate). */
function certificateThrottle(throttle: ReturnType<typeof createLoginThrottle>): UserDirectory['throttledCertificate'] {
  return async function throttledCertificate<T>(cardKey: string, check: () => Promise<T>): Promise<T> {
    const key = `carte:${cardKey}`;
    const refused = throttle.reserve(key);
    if (refused) throw new AuthError('account_locked', refused.message.replace('ce compte est verrouillé', 'cette carte est bloquée'));
    let result: T;
    try {
      result = await check();
    } catch (err) {
      if (!(err instanceof AuthError) || err.code === 'worker_failed') {
        throttle.release(key);
        throw err;
      }
      const counted = await throttle.fail(key);
      if (counted.code === 'account_locked') throw new AuthError('account_locked', `${err.message} Trop d’échecs : cette carte est bloquée pendant ${Math.ceil((counted.retryAfterMs ?? 0) / 60_000)} minutes.`, err.attemptedId);
      throw err;
    }
    await throttle.succeed(key);
    return result;
  };
}

export async function openUserDirectory(dataDir: string, options: UserDirectoryOptions = {}): Promise<UserDirectory> {
  const file = usersFilePath(dataDir);
  const now = options.now ?? (() => new Date());
  const params = options.scrypt ?? DEFAULT_SCRYPT;
  // Persisted beside the directory: a restart neither lifts a lockout nor refunds failures.
  const throttle = createLoginThrottle({ now, maxFailures: options.maxFailures ?? 5, lockoutMs: options.lockoutMs ?? 5 * 60_000, file: path.join(dataDir, LOGIN_FAILURES_FILE) });
  const store = await openUsersStore(dataDir, file, options.fs);
  const { find, mutate, reload } = store;
  // Verified against for unknown ids so they cost the same scrypt as a real account.
  // Made on first login (awaited by every login, known id or not) so opening stays cheap.
  let dummyHash: Promise<PasswordHash> | null = null;
  const getDummyHash = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex'), params));

  async function authenticate(id: string, password: string): Promise<LoginResult> {
    const key = normalizeUserId(id);
    // Reserved before the scrypt: a burst of parallel attempts gets no more checks than failures left.
    const refused = throttle.reserve(key);
    if (refused) return refused;
    const pw = typeof password === 'string' ? password : '';
    let user: StoredUser | undefined;
    let matches: boolean;
    try {
      const dummy = await getDummyHash();
      user = find(key);
      matches = await verifyPasswordHash(pw, user ? user.password : dummy);
    } catch (err) {
      throttle.release(key);
      throw err;
    }
    if (!user || !matches || pw.length === 0) return throttle.fail(key);
    await throttle.succeed(key);
    if (user.disabled) {
      return { ok: false, code: 'user_disabled', message: 'Ce compte est désactivé. Adressez-vous à l’administrateur du poste.' };
    }
    return { ok: true, user: toPublic(user) };
  }

  async function addMany(inputs: NewUserInput[]): Promise<User[]> {
    if (!Array.isArray(inputs)) throw invalid('Une liste de nouveaux utilisateurs est attendue.');
    const prepared = await Promise.all(
      inputs.map(async (input) => {
        const fields = validateNewUser(input);
        assertPasswordPolicy(input.password, fields.id);
        return { fields, password: await hashPassword(input.password, params) };
      }),
    );
    return mutate((draft) => {
      const stamp = now().toISOString();
      return prepared.map(({ fields, password }) => {
        if (draft.users.some((u) => u.id === fields.id)) throw new AuthError('user_exists', `L'identifiant « ${fields.id} » est déjà utilisé.`);
        if (fields.rpps && draft.users.some((u) => u.rpps === fields.rpps)) {
          throw new AuthError('user_exists', `Le numéro RPPS ${fields.rpps} est déjà attribué à un autre utilisateur.`);
        }
        const stored: StoredUser = { ...fields, password, disabled: false, createdAt: stamp, updatedAt: stamp };
        draft.users.push(stored);
        return toPublic(stored);
      });
    });
  }

  return {
    file,
    throttledCertificate: certificateThrottle(throttle),
    list: () => store.users.map(toPublic),
    get: (id) => {
      const u = find(id);
      return u ? toPublic(u) : null;
    },
    isEmpty: () => store.users.length === 0,

    async add(input) {
      const [user] = await addMany([input]);
      return user!;
    },

    addMany,

    disable(id) {
      return mutate((draft) => {
        const user = requireUser(draft, id);
        if (user.role === 'admin' && !user.disabled) {
          const activeAdmins = draft.users.filter((u) => u.role === 'admin' && !u.disabled);
          if (activeAdmins.length <= 1) {
            throw new AuthError('invalid_input', "Impossible de désactiver le dernier administrateur actif : créez d'abord un autre administrateur.");
          }
        }
        user.disabled = true;
        user.updatedAt = now().toISOString();
        return toPublic(user);
      });
    },

    enable(id) {
      return mutate((draft) => {
        const user = requireUser(draft, id);
        user.disabled = false;
        user.updatedAt = now().toISOString();
        return toPublic(user);
      });
    },

    async resetPassword(id, password) {
      const key = normalizeUserId(id);
      if (!find(key)) await reload();
      if (!find(key)) throw new AuthError('user_unknown', `Utilisateur inconnu « ${key} ».`);
      assertPasswordPolicy(password, key);
      const hash = await hashPassword(password, params);
      await mutate((draft) => {
        const user = requireUser(draft, key);
        user.password = hash;
        user.updatedAt = now().toISOString();
      });
      await throttle.clear(key);
    },

    ...administration(store, throttle, now),

    setCertificate(id, certificate) {
      let cert: CertificateRef | undefined;
      if (certificate !== null) {
        const parsed = CertificateRefSchema.safeParse(certificate);
        if (!parsed.success) return Promise.reject(invalid('Référence de certificat invalide (empreinte SHA-256 en hexadécimal attendue).'));
        cert = parsed.data;
      }
      return mutate((draft) => {
        const user = requireUser(draft, id);
        if (cert) user.certificate = cert;
        else delete user.certificate;
        user.updatedAt = now().toISOString();
        return toPublic(user);
      });
    },

    authenticate,

    async verifyPassword(id, password) {
      const result = await authenticate(id, password);
      return result.ok ? result.user : null;
    },

    reload,
  };
}

