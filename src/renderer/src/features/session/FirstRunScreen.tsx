import { useId, useState, type FormEvent } from 'react';
import { api } from '../../bridge';
import { useSession } from './session-context';

/** A new installation has no users: this screen creates the administrator account, once. */
export function FirstRunScreen() {
  const { run, error, busy } = useSession();
  const [userId, setUserId] = useState('admin');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);
  const titleId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== confirm) {
      setLocalError('Les deux mots de passe ne sont pas identiques.');
      return;
    }
    setLocalError(null);
    await run(() => api.session.firstRun({ userId, displayName, password }));
  };

  return (
    <div className="auth-screen">
      <form className="auth-card" onSubmit={submit} aria-labelledby={titleId}>
        <h1 id={titleId}>Première mise en service</h1>
        <p>Ce poste n’a encore aucun utilisateur. Créez le compte administrateur ; il ne donne accès à aucune donnée patient.</p>
        <label>
          Identifiant
          <input value={userId} onChange={(e) => setUserId(e.target.value)} required />
        </label>
        <label>
          Nom affiché
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required />
        </label>
        <label>
          Mot de passe (12 caractères au moins)
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        <label>
          Confirmez le mot de passe
          <input type="password" autoComplete="new-password" value={confirm} onChange={(e) => setConfirm(e.target.value)} required />
        </label>
        {(localError || error) && (
          <p className="form-error" role="alert">
            {localError ?? error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Créer le compte administrateur
        </button>
      </form>
    </div>
  );
}
