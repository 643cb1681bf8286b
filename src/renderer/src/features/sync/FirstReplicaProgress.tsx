import type { SyncStatus } from '../../../../shared/bridge/methods-sync';
import { replicaPercent } from './status-text';

const PHASES: Record<string, string> = {
  identities: 'Index des identités de l’établissement',
  encounters: 'Séjours',
  content: 'Dossiers des patients suivis par vos unités',
};

/** The first replica of a fresh workstation takes minutes: say what is coming and how far it is. */
export function FirstReplicaProgress({ firstReplica }: { firstReplica: NonNullable<SyncStatus['firstReplica']> }) {
  const percent = replicaPercent(firstReplica);
  const phase = PHASES[firstReplica.phase] ?? firstReplica.phase;
  const count = firstReplica.total === null ? firstReplica.done.toLocaleString('fr-FR') : `${firstReplica.done.toLocaleString('fr-FR')} / ${firstReplica.total.toLocaleString('fr-FR')}`;
  return (
    <div className="first-replica" data-testid="first-replica">
      <div className="first-replica-label" id="first-replica-label">
        Première synchronisation avec le serveur hospitalier — {phase} : {count}
        {percent !== null && ` (${percent} %)`}
      </div>
      {/* Without a total the bar is indeterminate: no aria-valuenow, as ARIA asks. */}
      <div
        className="progress"
        role="progressbar"
        aria-labelledby="first-replica-label"
        aria-valuemin={0}
        aria-valuemax={100}
        {...(percent !== null ? { 'aria-valuenow': percent } : {})}
      >
        <div className={`progress-bar${percent === null ? ' indeterminate' : ''}`} style={percent === null ? undefined : { width: `${percent}%` }} />
      </div>
      <p className="hint">La recherche et les dossiers déjà reçus restent utilisables pendant ce temps.</p>
    </div>
  );
}
