import { useId } from 'react';
import { formatDateTimeFr } from '../../../../shared/time';
import type { SyncClientState } from '../../sync';
import { Dialog } from '../ui';
import { useSyncClientState } from './client';
import { FirstReplicaProgress } from './FirstReplicaProgress';
import { plural } from './status-text';
import { useSyncStatus } from './use-sync-status';

function cacheLine(c: SyncClientState): string {
  if (c.error) return `Interrompue : ${c.error} (nouvel essai automatique)`;
  if (!c.running) return 'Non alimenté pour ce rôle';
  if (c.head === null) return 'Connexion au service local…';
  if (c.caughtUp) return `À jour (lot ${c.seq.toLocaleString('fr-FR')})`;
  return `Réception en cours : lot ${c.seq.toLocaleString('fr-FR')} sur ${c.head.toLocaleString('fr-FR')}`;
}

/** "Synchronisation": where this workstation stands with the hospital server, and what waits to be sent. */
export function SyncPanel({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const status = useSyncStatus(true);
  const cache = useSyncClientState();
  const s = status.data;
  return (
    <Dialog labelledBy={titleId} onClose={onClose} className="dialog sync-panel" testId="sync-panel">
      <h2 id={titleId}>Synchronisation</h2>
      {status.isError && <p className="form-error">État de la synchronisation indisponible : {status.error.message}</p>}
      {s && (
        <dl className="sync-facts">
          <dt>Serveur</dt>
          <dd data-testid="sync-panel-server">
            {s.server.label}
            {s.server.test && ' — données fictives'}
          </dd>
          <dt>Connexion</dt>
          <dd>{s.online ? 'En ligne' : 'Hors ligne : le dossier local reste utilisable, les modifications attendent le réseau'}</dd>
          <dt>Dernière réception</dt>
          <dd data-testid="sync-last-pull">{formatDateTimeFr(s.lastPullAt, { seconds: true }, 'aucune')}</dd>
          <dt>Dossier local du poste</dt>
          <dd data-testid="sync-cache">{cacheLine(cache)}</dd>
          <dt>Envois</dt>
          <dd data-testid="sync-counts">
            {s.pending + s.failed + s.conflicts === 0
              ? 'Tout est envoyé'
              : [
                  s.pending > 0 && plural(s.pending, 'en attente', 'en attente'),
                  s.failed > 0 && plural(s.failed, 'refusé', 'refusés'),
                  s.conflicts > 0 && plural(s.conflicts, 'conflit', 'conflits'),
                ]
                  .filter(Boolean)
                  .join(' · ')}
          </dd>
        </dl>
      )}
      {s?.firstReplica && <FirstReplicaProgress firstReplica={s.firstReplica} />}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Fermer
        </button>
      </div>
    </Dialog>
  );
}
