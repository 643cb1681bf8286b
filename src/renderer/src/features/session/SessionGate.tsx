import { useCallback, type ReactNode } from 'react';
import { api } from '../../bridge';
import { FirstRunScreen } from './FirstRunScreen';
import { LockScreen } from './LockScreen';
import { LoginScreen } from './LoginScreen';
import { useSession } from './session-context';
import { useIdleLock } from './use-idle-lock';

/**
 * Renders the workspace only for an active session. Locked, signed out or
 * switching: the workspace tree is unmounted (with it every patient on screen),
 * and the session provider has already cleared the query cache.
 */
export function SessionGate({ children }: { children: ReactNode }) {
  const { status, run } = useSession();
  const active = status?.state === 'active';
  const lockNow = useCallback(() => void run(() => api.session.lock({ reason: 'idle' })), [run]);
  useIdleLock(active, status?.lockAfterMs ?? 300_000, lockNow);

  if (!status) return <p className="loading">Connexion au service local du poste…</p>;
  switch (status.state) {
    case 'first_run':
      return <FirstRunScreen />;
    case 'anonymous':
      return <LoginScreen />;
    case 'locked':
      return <LockScreen />;
    case 'active':
      return <>{children}</>;
  }
}
