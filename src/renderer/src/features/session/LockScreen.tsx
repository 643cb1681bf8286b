import { useId, useState, type FormEvent } from 'react';
import { ROLE_LABELS } from '../../../../shared/bridge/roles';
import { api } from '../../bridge';
import { useSession } from './session-context';

/** Shown while locked: the user's name and an unlock field, nothing of any patient. */
export function LockScreen() {
  const { status, run, error, busy } = useSession();
  const [secret, setSecret] = useState('');
  const titleId = useId();
  const byPin = status?.method === 'certificate';

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await run(() => api.session.unlock({ secret }));
    if (!ok) setSecret('');
  };

  return (
    <div className="auth-screen locked" data-testid="lock-screen">
      <form className="auth-card" onSubmit={submit} aria-labelledby={titleId}>
        <svg className="lock-icon" viewBox="0 0 24 24" width="44" height="44" aria-hidden="true">
          <rect x="5" y="10" width="14" height="11" rx="2" fill="#13315c" />
          <path d="M8 10V7a4 4 0 0 1 8 0v3" fill="none" stroke="#13315c" strokeWidth="2" />
        </svg>
        <h1 id={titleId}>Session verrouillée</h1>
        {status?.user && (
          <p className="lock-user">
            {status.user.displayName} — {ROLE_LABELS[status.user.role]}
          </p>
        )}
        <label>
          {byPin ? 'Code PIN du certificat' : 'Mot de passe'}
          <input name="secret" type="password" autoFocus autoComplete={byPin ? 'off' : 'current-password'} value={secret} onChange={(e) => setSecret(e.target.value)} required />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Déverrouiller
        </button>
        <button type="button" className="link" onClick={() => void run(() => api.session.logout({ switchUser: true }))}>
          Changer d’utilisateur
        </button>
      </form>
    </div>
  );
}
