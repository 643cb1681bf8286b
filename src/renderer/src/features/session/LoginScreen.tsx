import { useId, useState, type FormEvent } from 'react';
import { api } from '../../bridge';
import { useSession } from './session-context';
import { readFileAsBase64 } from './read-file';

/** Sign-in: password, or the personal certificate (PKCS#12 file + PIN), the software CPS card. */
export function LoginScreen() {
  const { run, error, busy, status } = useSession();
  const [mode, setMode] = useState<'password' | 'certificate'>('password');
  const [userId, setUserId] = useState('');
  const [password, setPassword] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [pin, setPin] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const titleId = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFileError(null);
    if (mode === 'password') {
      const ok = await run(() => api.session.login({ userId, password }));
      if (!ok) setPassword('');
      return;
    }
    if (!file) {
      setFileError('Choisissez votre fichier de certificat (.p12).');
      return;
    }
    let p12Base64: string;
    try {
      p12Base64 = await readFileAsBase64(file, 96 * 1024);
    } catch (err) {
      setFileError(err instanceof Error ? err.message : String(err));
      return;
    }
    const ok = await run(() => api.session.loginCertificate({ p12Base64, pin }));
    if (!ok) setPin('');
  };

  return (
    <div className="auth-screen">
      <form className="auth-card" onSubmit={submit} aria-labelledby={titleId}>
        <h1 id={titleId}>Identification</h1>
        <div className="segmented" role="tablist" aria-label="Mode d’identification">
          <button type="button" role="tab" aria-selected={mode === 'password'} className={mode === 'password' ? 'active' : ''} onClick={() => setMode('password')}>
            Mot de passe
          </button>
          <button type="button" role="tab" aria-selected={mode === 'certificate'} className={mode === 'certificate' ? 'active' : ''} onClick={() => setMode('certificate')}>
            Certificat personnel
          </button>
        </div>
        {mode === 'password' ? (
          <>
            <label>
              Identifiant
              <input name="userId" autoComplete="username" autoFocus value={userId} onChange={(e) => setUserId(e.target.value)} required />
            </label>
            <label>
              Mot de passe
              <input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
            </label>
          </>
        ) : (
          <>
            <label>
              Fichier du certificat (.p12)
              <input name="p12" type="file" accept=".p12,.pfx,application/x-pkcs12" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
            </label>
            <label>
              Code PIN
              <input name="pin" type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} required />
            </label>
          </>
        )}
        {(error || fileError) && (
          <p className="form-error" role="alert">
            {fileError ?? error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? (mode === 'certificate' ? 'Vérification du certificat…' : 'Connexion…') : 'Se connecter'}
        </button>
        {status?.demo && (
          <p className="hint">
            Poste de démonstration : les comptes de test sont listés dans le README (par exemple <code>dr.martin</code>).
          </p>
        )}
      </form>
    </div>
  );
}
