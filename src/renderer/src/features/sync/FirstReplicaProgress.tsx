import { useId } from 'react';
import type { SyncStatus } from '../../../../shared/bridge/methods-sync';
import { replicaPercent } from './status-text';

/** The first replica of a fresh workstation takes minutes: say what is coming (main names the phase in French) and how far it is. */
export function FirstReplicaProgress({ firstReplica }: { firstReplica: NonNullable<SyncStatus['firstReplica']> }) {
  const labelId = useId();
  const percent = replicaPercent(firstReplica);
  const count = firstReplica.total === null ? firstReplica.done.toLocaleString('fr-FR') : `${firstReplica.done.toLocaleString('fr-FR')} / ${firstReplica.total.toLocaleString('fr-FR')}`;
  return (
    <div className="first-replica" data-testid="first-replica">
      <div className="first-replica-label" id={labelId}>
        Première synchronisation avec le serveur hospitalier — {firstReplica.phase} : {count}
        {percent !== null && ` (${percent} %)`}
      </div>
      {/* Without a total the bar is indeterminate: no aria-valuenow, as ARIA asks. */}
      <div
        className="replica-progress"
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null ? { 'aria-valuenow': percent } : {})}
      >
        <div className={`replica-progress-bar${percent === null ? ' indeterminate' : ''}`} style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      <p className="hint">La recherche et les dossiers déjà reçus restent utilisables pendant ce temps.</p>
    </div>
  );
}
