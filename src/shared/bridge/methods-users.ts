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
});
export type UserRowView = z.infer<typeof UserRow>;

const Id = z.string().trim().min(1).max(64);

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
        units: z.array(z.string().trim().min(1).max(100)).max(20),
        rpps: z.string().regex(/^\d{11}$/, 'Le RPPS comporte 11 chiffres.').optional(),
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
} as const;
