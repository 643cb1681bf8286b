import { GENERIC_LOGIN_FAILURE } from './errors';
import type { LoginResult } from './user-directory';

interface FailureState {
  count: number;
  lockedUntil: number;
}

export interface LoginThrottle {
  /** The refusal to give without checking the password, while the account is locked. */
  lockedNow(key: string): LoginResult | undefined;
  /** Counts a failed attempt; the fifth (by default) locks the account. */
  fail(key: string): LoginResult;
  /** A successful sign-in or a new password clears the count. */
  clear(key: string): void;
}

/**
 * Failed-login counting and lockout. In memory: a restart clears lockouts, which the audit journal still shows.
 */
export function createLoginThrottle(opts: { now: () => Date; maxFailures: number; lockoutMs: number }): LoginThrottle {
  const failures = new Map<string, FailureState>();

  function prune(at: number): void {
    for (const [key, f] of failures) if (f.lockedUntil <= at) failures.delete(key);
  }

  return {
    lockedNow(key) {
      const at = opts.now().getTime();
      const f = failures.get(key);
      if (!f || f.lockedUntil <= at) return undefined;
      return { ok: false, code: 'account_locked', message: lockedMessage(f.lockedUntil - at), retryAfterMs: f.lockedUntil - at };
    },
    fail(key) {
      const at = opts.now().getTime();
      const f = failures.get(key) ?? { count: 0, lockedUntil: 0 };
      f.count += 1;
      if (f.count >= opts.maxFailures) {
        f.count = 0;
        f.lockedUntil = at + opts.lockoutMs;
        failures.set(key, f);
        return { ok: false, code: 'account_locked', message: lockedMessage(opts.lockoutMs), retryAfterMs: opts.lockoutMs };
      }
      failures.set(key, f);
      if (failures.size > 10_000) prune(at);
      return { ok: false, code: 'invalid_credentials', message: GENERIC_LOGIN_FAILURE };
    },
    clear(key) {
      failures.delete(key);
    },
  };
}

function lockedMessage(remainingMs: number): string {
  const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
  return `Trop de tentatives échouées : ce compte est verrouillé pendant ${minutes} minute${minutes > 1 ? 's' : ''}.`;
}
