import { useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { SessionStatusView } from '../../../../shared/bridge/methods-session';
import type { Result } from '../../../../shared/bridge/result';
import { api, endsSession } from '../../bridge';

interface SessionContextValue {
  status: SessionStatusView | null;
  /** French message of the last failed session action, for the screen that caused it. */
  error: string | null;
  busy: boolean;
  run(action: () => Promise<Result<SessionStatusView>>): Promise<boolean>;
  refresh(): Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

/** How often the renderer asks main whether the session is still open (main locks on its own clock too). */
const STATUS_POLL_MS = 15_000;

/**
 * Holds who is signed in. Whenever the session stops being active (lock,
 * sign-out, switch) every cached query is dropped, so nothing of a patient
 * survives in memory behind the lock screen.
 */
export function SessionProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<SessionStatusView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const apply = useCallback(
    (next: SessionStatusView) => {
      setStatus((prev) => {
        const wasActive = prev?.state === 'active';
        const changedUser = prev !== null && prev.user?.id !== next.user?.id;
        // Everything but the workstation's own facts (meta.survivesSignOut) goes: patient data, DMP documents, journal pages.
        if ((wasActive && next.state !== 'active') || changedUser) queryClient.removeQueries({ predicate: (q) => q.meta?.survivesSignOut !== true });
        return next;
      });
    },
    [queryClient],
  );

  const refresh = useCallback(async () => {
    const r = await api.session.status({});
    if (r.ok) apply(r.value);
    else setError(r.error.message);
  }, [apply]);

  const run = useCallback(
    async (action: () => Promise<Result<SessionStatusView>>) => {
      setBusy(true);
      setError(null);
      try {
        const r = await action();
        if (r.ok) {
          apply(r.value);
          return true;
        }
        setError(r.error.message);
        if (endsSession(r.error.code)) await refresh();
        return false;
      } finally {
        setBusy(false);
      }
    },
    [apply, refresh],
  );

  useEffect(() => {
    void refresh();
    const id = window.setInterval(() => void refresh(), STATUS_POLL_MS);
    return () => window.clearInterval(id);
  }, [refresh]);

  const value = useMemo(() => ({ status, error, busy, run, refresh }), [status, error, busy, run, refresh]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession hors de SessionProvider');
  return ctx;
}
