import { useOnlineStatus } from './use-online-status';

/** Tells staff at a glance whether the DMP can be reached; the local record works either way. */
export function OnlineIndicator() {
  const online = useOnlineStatus();
  return (
    <div className={`online-indicator ${online ? 'is-online' : 'is-offline'}`} role="status" aria-live="polite" data-testid="online-indicator">
      <span className="online-dot" aria-hidden="true" />
      {online ? 'En ligne' : 'Hors ligne — dossier local disponible'}
    </div>
  );
}
