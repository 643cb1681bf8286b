import { useSyncClientState } from './client';
import { FirstReplicaProgress } from './FirstReplicaProgress';
import { useSyncStatus } from './use-sync-status';

/**
 * Above the care workspace while this workstation is filling up: main's first replica from the hospital
 * server, then the local record catching up with main. Nothing once both are done.
 */
export function ReplicaStrip() {
  const status = useSyncStatus(true);
  const cache = useSyncClientState();
  const fr = status.data?.firstReplica;
  if (fr) {
    return (
      <div className="replica-strip">
        <FirstReplicaProgress firstReplica={fr} />
      </div>
    );
  }
  // Far behind main (a first fill, or back after a long lock): a bar for the local record itself.
  if (cache.head !== null && !cache.caughtUp && cache.head - cache.seq > 1) {
    const percent = Math.floor((cache.seq * 100) / cache.head);
    return (
      <div className="replica-strip" data-testid="cache-progress">
        <div id="cache-progress-label">Mise à jour du dossier local du poste : {percent} %</div>
        <div className="replica-progress" role="progressbar" aria-labelledby="cache-progress-label" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
          <div className="replica-progress-bar" style={{ width: `${percent}%` }} />
        </div>
      </div>
    );
  }
  return null;
}
