import { useState } from 'react';
import { useSession } from '../session';
import { useSyncClientState } from './client';
import { SyncPanel } from './SyncPanel';
import { syncSummary } from './status-text';
import { useSyncStatus } from './use-sync-status';

/**
 * The header's sync state (hospital server, online, pending pushes, conflicts); a click opens the
 * "Synchronisation" panel. Only for a signed-in session: locked, it unmounts with whatever it showed.
 */
export function SyncIndicator() {
  const { status: session } = useSession();
  const active = session?.state === 'active';
  const status = useSyncStatus(active);
  const cache = useSyncClientState();
  const [open, setOpen] = useState(false);
  if (!active) return null;
  const s = status.data;
  const summary = s ? syncSummary(s, cache) : status.isError ? { tone: 'failed' as const, text: 'État inconnu' } : { tone: 'pending' as const, text: '…' };
  return (
    <>
      <button
        type="button"
        className={`sync-indicator tone-${summary.tone}`}
        data-testid="sync-indicator"
        aria-haspopup="dialog"
        onClick={() => setOpen(true)}
        title={status.isError ? status.error.message : 'Ouvrir le panneau de synchronisation'}
      >
        <span className="sync-dot" aria-hidden="true" />
        <span className="sync-server" data-testid="sync-server">{s?.server.label ?? 'Serveur hospitalier'}</span>
        <span role="status" aria-live="polite" data-testid="sync-state">
          {summary.text}
        </span>
      </button>
      {open && <SyncPanel onClose={() => setOpen(false)} />}
    </>
  );
}
