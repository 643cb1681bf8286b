/**
 * Every refusal of the auth services carries a stable code (for the bridge's
 * typed errors and the audit detail) and a French message the user can act on.
 */
export type AuthErrorCode =
  | 'invalid_input'
  | 'weak_password'
  | 'directory_unreadable'
  | 'directory_invalid'
  | 'user_exists'
  | 'user_unknown'
  | 'user_disabled'
  | 'invalid_credentials'
  | 'account_locked'
  | 'cert_unreadable'
  | 'cert_bad_pin'
  | 'cert_expired'
  | 'cert_not_yet_valid'
  | 'cert_foreign_ca'
  | 'cert_invalid'
  | 'cert_unknown_user'
  | 'cert_not_enrolled'
  | 'pki_missing'
  | 'pki_invalid'
  | 'worker_failed';

export class AuthError extends Error {
  readonly code: AuthErrorCode;
  /** Who a refused certificate named (its UID, else its common name), for the journal's failed-login entry. */
  attemptedId?: string;

  constructor(code: AuthErrorCode, message: string, attemptedId?: string) {
    super(message);
    this.name = 'AuthError';
    this.code = code;
    if (attemptedId) this.attemptedId = attemptedId;
  }
}

export function isAuthError(err: unknown): err is AuthError {
  return err instanceof AuthError;
}

/** The one message for a failed password login, whatever the cause (unknown id or wrong password). */
export const GENERIC_LOGIN_FAILURE = 'Identifiant ou mot de passe incorrect.';
