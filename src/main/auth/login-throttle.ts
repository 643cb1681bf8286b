import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomic } from '../fs/atomic-write';
import { GENERIC_LOGIN_FAILURE } from './errors';
import type { LoginResult } from './user-directory';

interface FailureState {
  count: number;
  lockedUntil: number;
  /** Checks started and not yet finished: they hold failures in reserve. */
  inFlight: number;
}

type Refusal = Extract<LoginResult, { ok: false }>;

export interface LoginThrottle {
  /** The refusal to give without checking the password, while the account is locked. */
  lockedNow(key: string): Refusal | undefined;
  /**
   * Reserves one check of key's secret: refused while locked, or while the checks in flight already
   * use every failure left before the lockout. A granted check must end with fail() or clear().
   */
  reserve(key: string): Refusal | undefined;
  /** Counts a failed check (reserved or not); the fifth (by default) locks the account. Persisted before it returns. */
  fail(key: string): Promise<Refusal>;
  /** A reserved check that succeeded: its reservation ends and the count is cleared. */
  succeed(key: string): Promise<void>;
  /** An administrator's unlock or a new password clears the count (checks in flight keep their reservation). */
  clear(key: string): Promise<void>;
  /** A reserved check that ended without verdict (an internal error): its reservation is given back. */
  release(key: string): void;
}

const PersistedSchema = z.object({
  format: z.literal('chu-workstation/login-failures'),
  failures: z.record(z.string(), z.object({ count: z.number().int().min(0), lockedUntil: z.number() })),
});

export interface LoginThrottleOptions {
  now: () => Date;
  maxFailures: number;
  lockoutMs: number;
  /** Where counts and lockouts survive a restart (0600); in memory only when absent (tests, tools). */
  file?: string;
}

function load(file: string | undefined): Map<string, FailureState> {
  const failures = new Map<string, FailureState>();
  if (!file) return failures;
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return failures;
    throw err;
  }
  const parsed = PersistedSchema.safeParse((() => {
    try {
      return JSON.parse(raw);
    } catch {
      return null;
    }
  })());
  // A damaged file must not open a lockout-free window: refuse to start, like the user directory does.
  if (!parsed.success) throw new Error(`Le fichier des échecs de connexion (${file}) est illisible : restaurez-le ou supprimez-le en connaissance de cause.`);
  for (const [key, f] of Object.entries(parsed.data.failures)) failures.set(key, { ...f, inFlight: 0 });
  return failures;
}

/**
 * Failed-login counting and lockout, for passwords and certificate PINs alike. Counting is atomic:
 * a check is reserved before the (slow) scrypt or PKCS#12 opening, so a burst of parallel attempts
 * gets no more checks than failures left. Counts are written to disk before the verdict is given,
 * so a restart neither clears a lockout nor refunds failures.
 */
export function createLoginThrottle(opts: LoginThrottleOptions): LoginThrottle {
  const failures = load(opts.file);
  let writing: Promise<void> = Promise.resolve();

  function persist(): Promise<void> {
    const file = opts.file;
    if (!file) return Promise.resolve();
    // Writes are chained: each one carries the state as it is when its turn comes.
    writing = writing.then(() => {
      const at = opts.now().getTime();
      const out: Record<string, { count: number; lockedUntil: number }> = {};
      for (const [key, f] of failures) if (f.count > 0 || f.lockedUntil > at) out[key] = { count: f.count, lockedUntil: f.lockedUntil };
      return writeFileAtomic(file, JSON.stringify({ format: 'chu-workstation/login-failures', failures: out }) + '\n', { mode: 0o600 });
    });
    return writing;
  }

  const stateOf = (key: string): FailureState => {
    let f = failures.get(key);
    if (!f) failures.set(key, (f = { count: 0, lockedUntil: 0, inFlight: 0 }));
    return f;
  };

  function lockedNow(key: string): Refusal | undefined {
    const at = opts.now().getTime();
    const f = failures.get(key);
    if (!f || f.lockedUntil <= at) return undefined;
    return { ok: false, code: 'account_locked', message: lockedMessage(f.lockedUntil - at), retryAfterMs: f.lockedUntil - at };
  }

  return {
    lockedNow,
    reserve(key) {
      const locked = lockedNow(key);
      if (locked) return locked;
      const f = stateOf(key);
      if (f.count + f.inFlight >= opts.maxFailures) {
        return { ok: false, code: 'account_locked', message: 'Trop de tentatives simultanées sur ce compte : patientez quelques secondes puis réessayez.', retryAfterMs: 5_000 };
      }
      f.inFlight += 1;
      return undefined;
    },
    async fail(key) {
      const at = opts.now().getTime();
      const f = stateOf(key);
      if (f.inFlight > 0) f.inFlight -= 1;
      if (f.lockedUntil <= at && f.lockedUntil !== 0) f.lockedUntil = 0;
      f.count += 1;
      let result: Refusal = { ok: false, code: 'invalid_credentials', message: GENERIC_LOGIN_FAILURE };
      if (f.count >= opts.maxFailures) {
        f.count = 0;
        f.lockedUntil = at + opts.lockoutMs;
        result = { ok: false, code: 'account_locked', message: lockedMessage(opts.lockoutMs), retryAfterMs: opts.lockoutMs };
      }
      if (failures.size > 10_000) for (const [k, s] of failures) if (s.count === 0 && s.inFlight === 0 && s.lockedUntil <= at) failures.delete(k);
      await persist();
      return result;
    },
    async succeed(key) {
      const f = failures.get(key);
      if (f && f.inFlight > 0) f.inFlight -= 1;
      await this.clear(key);
    },
    async clear(key) {
      const f = failures.get(key);
      if (!f) return;
      const hadCount = f.count > 0 || f.lockedUntil > 0;
      f.count = 0;
      f.lockedUntil = 0;
      if (f.inFlight === 0) failures.delete(key);
      if (hadCount) await persist();
    },
    release(key) {
      const f = failures.get(key);
      if (f && f.inFlight > 0) f.inFlight -= 1;
    },
  };
}

function lockedMessage(remainingMs: number): string {
  const minutes = Math.max(1, Math.ceil(remainingMs / 60_000));
  return `Trop de tentatives échouées : ce compte est verrouillé pendant ${minutes} minute${minutes > 1 ? 's' : ''}.`;
}
