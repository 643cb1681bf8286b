import { createHash } from 'node:crypto';
import { BridgeFailure } from '../../shared/bridge/result';
import type { AuditPort } from '../host/audit-port';
import { isAuthError } from '../auth/errors';
import { loginWithCertificate } from '../auth/cert-login';
import type { User, UserDirectory } from '../auth/user-directory';
import type { ClientSession } from './sessions';

export interface CredentialDeps {
  directory: UserDirectory;
  audit: AuditPort;
  now: () => Date;
  /** The CA personal certificates must chain to; null when none is configured. */
  caCertPem: () => string | null;
}

/** Who a password or a certificate and PIN designate; failed sign-ins are journalled here, never the secret. */
export function createCredentials({ directory, audit, now, caCertPem }: CredentialDeps) {
  return {
    async password(userId: string, password: string): Promise<User> {
      const result = await directory.authenticate(userId, password);
      if (result.ok) return result.user;
      // The id typed is kept (it is what was attempted), never the password.
      await audit.record({ type: 'auth.login', action: 'E', outcome: 'failure', detail: { method: 'password', attemptedId: userId.slice(0, 64), code: result.code } });
      throw new BridgeFailure('UNAUTHENTICATED', result.message);
    },

    async certificate(p12: Uint8Array, pin: string): Promise<User> {
      const ca = caCertPem();
      try {
        if (!ca) throw new BridgeFailure('UNAVAILABLE', "Aucune autorité de certification n'est configurée sur ce poste.");
        // Counted per card like passwords per account: a wrong PIN is a failed sign-in, and a burst gets no extra tries.
        const card = createHash('sha256').update(p12).digest('hex');
        const { user } = await directory.throttledCertificate(card, () => loginWithCertificate({ p12, pin, caCertPem: ca, now: now(), directory }));
        if (user.disabled) throw new BridgeFailure('UNAUTHENTICATED', 'Ce compte est désactivé : adressez-vous à l’administrateur.');
        return user;
      } catch (err) {
        const code = isAuthError(err) ? err.code : err instanceof BridgeFailure ? err.code : 'internal';
        const attemptedId = isAuthError(err) ? err.attemptedId : undefined;
        await audit.record({ type: 'auth.login', action: 'E', outcome: 'failure', detail: { method: 'certificate', code, ...(attemptedId ? { attemptedId } : {}) } });
        if (isAuthError(err)) throw new BridgeFailure('UNAUTHENTICATED', err.message);
        throw err;
      }
    },

    /** Whether the secret unlocks this session: its user's password, or the PIN of the card it was opened with. */
    async unlocks(session: ClientSession, secret: string): Promise<{ ok: boolean; message: string }> {
      if (session.method === 'password') {
        const r = await directory.authenticate(session.user.id, secret);
        return r.ok ? { ok: true, message: '' } : { ok: false, message: r.message };
      }
      try {
        const ca = caCertPem();
        const r = ca && session.p12 ? await loginWithCertificate({ p12: session.p12, pin: secret, caCertPem: ca, now: now(), directory }) : null;
        return { ok: r?.user.id === session.user.id, message: 'Code PIN incorrect.' };
      } catch (err) {
        if (!isAuthError(err)) throw err;
        return { ok: false, message: 'Code PIN incorrect.' };
      }
    },
  };
}
