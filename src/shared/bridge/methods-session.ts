import { z } from 'zod';
import { BREAK_GLASS_REASONS, type BreakGlassReason } from '../authz/break-glass';
import { LOCAL_BREAK_GLASS_ROLES } from '../authz/roles';
import { method } from './define';
import { PatientRefSchema } from './patient-ref';
import { ROLES } from './roles';

const UserView = z.object({
  id: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  units: z.array(z.string()),
  rpps: z.string().optional(),
});
export type SessionUser = z.infer<typeof UserView>;

const BreakGlassView = z.object({
  patientId: z.string(),
  ipp: z.string(),
  reason: z.string(),
  justification: z.string(),
  startedAt: z.string(),
  expiresAt: z.string(),
});

export const SessionStatus = z.object({
  state: z.enum(['first_run', 'anonymous', 'active', 'locked']),
  user: UserView.optional(),
  /** How the current user signed in: unlock asks for the password or the certificate PIN. */
  method: z.enum(['password', 'certificate']).optional(),
  lockAfterMs: z.number().int().positive(),
  breakGlass: z.array(BreakGlassView),
  demo: z.boolean(),
});
export type SessionStatusView = z.infer<typeof SessionStatus>;

const reasonKeys = Object.keys(BREAK_GLASS_REASONS) as [BreakGlassReason, ...BreakGlassReason[]];
const Empty = z.object({}).strict();
const Id = z.string().trim().min(1, 'Saisissez votre identifiant.').max(64);
const Secret = z.string().min(1, 'Saisissez votre mot de passe.').max(256);

export const sessionMethods = {
  'session.status': method({ summary: 'Who is signed in on this renderer, locked or not.', input: Empty, output: SessionStatus, access: 'public', scope: 'none' }),
  'session.login': method({
    summary: 'Password sign-in.',
    input: z.object({ userId: Id, password: Secret }).strict(),
    output: SessionStatus,
    access: 'public',
    scope: 'none',
  }),
  'session.loginCertificate': method({
    summary: 'Personal certificate sign-in (PKCS#12 + PIN), the software CPS card.',
    input: z
      .object({
        p12Base64: z.string().min(1, 'Choisissez votre fichier de certificat (.p12).').max(96 * 1024, 'Ce fichier est trop volumineux pour être un certificat personnel.').regex(/^[A-Za-z0-9+/=]+$/, 'Fichier de certificat illisible.'),
        pin: z.string().min(1, 'Saisissez le code PIN.').max(128),
      })
      .strict(),
    output: SessionStatus,
    access: 'public',
    scope: 'none',
    // The .p12 travels base64-encoded (96 KiB at most) in a JSON body.
    maxInputBytes: 128 * 1024,
  }),
  'session.unlock': method({
    summary: 'Unlocks the locked session with the password or the certificate PIN of the same user.',
    input: z.object({ secret: Secret }).strict(),
    output: SessionStatus,
    access: 'public',
    scope: 'none',
  }),
  'session.lock': method({ summary: 'Locks now (button or idle timer).', input: z.object({ reason: z.enum(['manual', 'idle']) }).strict(), output: SessionStatus, access: 'public', scope: 'none' }),
  'session.logout': method({ summary: 'Signs out; `switch` when another user takes the workstation.', input: z.object({ switchUser: z.boolean().default(false) }).strict(), output: SessionStatus, access: 'public', scope: 'none' }),
  'session.activity': method({ summary: 'User input seen by the renderer: pushes the idle lock back.', input: Empty, output: z.object({ lockInMs: z.number() }), access: 'public', scope: 'none' }),
  'session.firstRun': method({
    summary: 'Creates the administrator account of a new installation.',
    input: z.object({ userId: Id, displayName: z.string().trim().min(2).max(100), password: z.string().min(12, 'Le mot de passe doit comporter au moins 12 caractères.').max(256) }).strict(),
    output: SessionStatus,
    access: 'public',
    scope: 'none',
  }),
  'session.breakGlassStart': method({
    summary: 'Local break-glass: access to one patient outside the caller’s units for 4 hours.',
    input: z
      .object({
        patient: PatientRefSchema,
        reason: z.enum(reasonKeys),
        justification: z.string().trim().min(10, 'Décrivez la situation en quelques mots (10 caractères au moins).').max(1000),
      })
      .strict(),
    output: SessionStatus,
    access: LOCAL_BREAK_GLASS_ROLES,
    scope: 'none',
  }),
  'session.breakGlassEnd': method({
    summary: 'Ends a local break-glass access before it expires.',
    input: z.object({ patientId: z.string().min(1).max(100) }).strict(),
    output: SessionStatus,
    access: LOCAL_BREAK_GLASS_ROLES,
    scope: 'none',
  }),
} as const;
