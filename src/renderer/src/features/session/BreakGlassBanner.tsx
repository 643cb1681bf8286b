import { formatTimeFr } from '../../../../shared/time';
import { api } from '../../bridge';
import { useSession } from './session-context';

const time = (iso: string) => formatTimeFr(iso);

/** Red, always visible while a local break-glass access is open: nobody forgets they are using one. */
export function BreakGlassBanner() {
  const { status, run } = useSession();
  if (!status || status.state !== 'active' || status.breakGlass.length === 0) return null;
  return (
    <div className="break-glass-banner" role="alert" data-testid="break-glass-banner">
      {status.breakGlass.map((g) => (
        <div key={g.patientId} className="break-glass-item">
          <strong>Accès exceptionnel (bris de glace)</strong> au dossier IPP {g.ipp} — {g.reason} — jusqu’à {time(g.expiresAt)}. Cet accès est tracé et sera revu par le DPO.
          <button type="button" onClick={() => void run(() => api.session.breakGlassEnd({ patientId: g.patientId }))}>
            Terminer l’accès
          </button>
        </div>
      ))}
    </div>
  );
}
