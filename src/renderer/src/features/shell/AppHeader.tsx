import { UserMenu } from '../session';
import { SyncIndicator } from '../sync';
import { OnlineIndicator } from './OnlineIndicator';
import { useAppInfo } from './use-app-info';

export function AppHeader() {
  const info = useAppInfo();
  return (
    <header className="app-header">
      <div className="app-brand">
        <span className="app-logo" aria-hidden="true">✚</span>
        <div>
          <div className="app-title">Poste clinique CHU</div>
          <div className="app-workstation" data-testid="workstation-name">
            {info.data ? info.data.workstationName : info.isError ? 'Poste non identifié' : 'Connexion au poste…'}
          </div>
        </div>
      </div>
      <div className="app-header-right">
        <SyncIndicator />
        <OnlineIndicator />
        <UserMenu />
      </div>
    </header>
  );
}
