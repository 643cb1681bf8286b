import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';
import { AuthError } from './errors';

/**
 * Password hashes: scrypt with a per-user random salt; the parameters travel
 * with the hash so they can be raised later without breaking old accounts.
 */
export const PasswordHashSchema = z.object({
  algorithm: z.literal('scrypt'),
  N: z.number().int().min(1024).max(2 ** 20),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  keyLength: z.number().int().min(16).max(128),
  salt: z.string().regex(/^[A-Za-z0-9+/]+=*$/),
  hash: z.string().regex(/^[A-Za-z0-9+/]+=*$/),
});

export type PasswordHash = z.infer<typeof PasswordHashSchema>;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** OWASP's scrypt baseline (N=2^15, r=8, p=1): about 32 MiB and ~0.1 s per attempt. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

function scryptAsync(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // maxmem must exceed 128 * N * r or Node refuses the parameters.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, params.keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<PasswordHash> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, params);
  return { algorithm: 'scrypt', ...params, salt: salt.toString('base64'), hash: key.toString('base64') };
}

/** Runs the full scrypt even when lengths differ, then compares in constant time. */
export async function verifyPasswordHash(password: string, stored: PasswordHash): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Policy for new passwords (ANSSI favours length over composition rules).
 * Returns a French reason, or null when acceptable.
 */
export function passwordPolicyProblem(password: string, userId?: string): string | null {
  if (typeof password !== 'string') return 'Le mot de passe est manquant.';
  const length = [...password].length;
  if (length < MIN_PASSWORD_LENGTH) {
    return `Le mot de passe doit contenir au moins ${MIN_PASSWORD_LENGTH} caractères (il en contient ${length}).`;
  }
  if (length > MAX_PASSWORD_LENGTH) return `Le mot de passe ne doit pas dépasser ${MAX_PASSWORD_LENGTH} caractères.`;
  if (/^(.)\1*$/u.test(password)) return 'Le mot de passe ne peut pas être un seul caractère répété.';
  if (userId && password.toLowerCase().includes(userId.toLowerCase())) {
    return "Le mot de passe ne doit pas contenir l'identifiant de l'utilisateur.";
  }
  if (hasControlChar(password)) return 'Le mot de passe contient un caractère de contrôle non autorisé.';
  return null;
}

/** C0 controls and DEL: never part of a typed password or a display name. */
export function hasControlChar(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

export function assertPasswordPolicy(password: string, userId?: string): void {
  const problem = passwordPolicyProblem(password, userId);
  if (problem) throw new AuthError('weak_password', problem);
}
