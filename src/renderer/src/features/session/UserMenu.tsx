import { ROLE_LABELS } from '../../../../shared/bridge/roles';
import { api } from '../../bridge';
import { useSession } from './session-context';

export function UserMenu() {
  const { status, run } = useSession();
  if (!status?.user || status.state !== 'active') {
    return (
      <div className="app-user" data-testid="current-user">
        {status?.state === 'locked' ? 'Session verrouillée' : 'Non connecté'}
      </div>
    );
  }
  return (
    <div className="user-menu">
      <div className="app-user" data-testid="current-user">
        <strong>{status.user.displayName}</strong>
        <span className="user-role">{ROLE_LABELS[status.user.role]}</span>
      </div>
      <button type="button" className="header-button" onClick={() => void run(() => api.session.lock({ reason: 'manual' }))} title="Verrouiller le poste (la session reste ouverte)">
        Verrouiller
      </button>
      <button type="button" className="header-button" onClick={() => void run(() => api.session.logout({ switchUser: true }))}>
        Changer d’utilisateur
      </button>
      <button type="button" className="header-button" onClick={() => void run(() => api.session.logout({ switchUser: false }))}>
        Se déconnecter
      </button>
    </div>
  );
}
