import { z } from 'zod';
import { method } from './define';
import { ROLES } from './roles';

const UserRow = z.object({
  id: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  units: z.array(z.string()),
  rpps: z.string().optional(),
  disabled: z.boolean(),
  hasCertificate: z.boolean(),
  /** Locked out by failed logins right now. */
  locked: z.boolean(),
  /** How many of this user's certificates were revoked. */
  revokedCertificates: z.number().int().nonnegative(),
});
export type UserRowView = z.infer<typeof UserRow>;

const Id = z.string().trim().min(1).max(64);
const Units = z.array(z.string().trim().min(1).max(100)).max(20, 'Vingt unités au plus par utilisateur.');
const Rpps = z.string().regex(/^\d{11}$/, 'Le RPPS comporte 11 chiffres.');

/** Administration of the user directory: the `admin` role only, no clinical data. */
export const usersMethods = {
  'users.list': method({ summary: 'Lists the user directory.', input: z.object({}).strict(), output: z.array(UserRow), access: ['admin'], scope: 'none' }),
  'users.add': method({
    summary: 'Adds a user.',
    input: z
      .object({
        id: z.string().trim().regex(/^[a-z0-9._-]{2,64}$/, 'Identifiant : 2 à 64 caractères parmi a-z, 0-9, point, tiret, souligné.'),
        displayName: z.string().trim().min(2).max(100),
        role: z.enum(ROLES),
        units: Units,
        rpps: Rpps.optional(),
        password: z.string().min(12, 'Le mot de passe doit comporter au moins 12 caractères.').max(256),
      })
      .strict(),
    output: UserRow,
    access: ['admin'],
    scope: 'none',
  }),
  'users.disable': method({ summary: 'Disables a user.', input: z.object({ id: Id }).strict(), output: UserRow, access: ['admin'], scope: 'none' }),
  'users.enable': method({ summary: 'Re-enables a user.', input: z.object({ id: Id }).strict(), output: UserRow, access: ['admin'], scope: 'none' }),
  'users.resetPassword': method({
    summary: 'Sets a new password for a user.',
    input: z.object({ id: Id, password: z.string().min(12, 'Le mot de passe doit comporter au moins 12 caractères.').max(256) }).strict(),
    output: z.object({ done: z.literal(true) }),
    access: ['admin'],
    scope: 'none',
  }),
  'users.assign': method({
    summary: 'Changes a user’s role, care units and RPPS together.',
    input: z.object({ id: Id, role: z.enum(ROLES), units: Units, rpps: Rpps.optional() }).strict(),
    output: UserRow,
    access: ['admin'],
    scope: 'none',
  }),
  'users.unlock': method({ summary: 'Lifts a lockout caused by failed logins.', input: z.object({ id: Id }).strict(), output: UserRow, access: ['admin'], scope: 'none' }),
  'users.issueCertificate': method({
    summary: 'Issues a personal TEST certificate (PKCS#12 protected by a PIN) and enrols it; the file is handed to the user.',
    input: z.object({ id: Id, pin: z.string().min(6, 'Le code PIN doit contenir au moins 6 caractères.').max(64) }).strict(),
    output: z.object({ user: UserRow, fileName: z.string(), p12Base64: z.string() }),
    access: ['admin'],
    scope: 'none',
  }),
  'users.revokeCertificate': method({
    summary: 'Revokes the enrolled certificate: refused at certificate login from then on.',
    input: z.object({ id: Id }).strict(),
    output: UserRow,
    access: ['admin'],
    scope: 'none',
  }),
} as const;
