import { useAppInfo } from './use-app-info';

/** Main area until the patient list lands: says what the workstation is and that the bridge answers. */
export function HomePlaceholder() {
  const info = useAppInfo();
  return (
    <section className="home" aria-labelledby="home-title">
      <h1 id="home-title">Patients</h1>
      {info.isPending && <p>Connexion au service local du poste…</p>}
      {info.isError && (
        <p className="error" role="alert">
          {info.error.message}
        </p>
      )}
      {info.data && (
        <dl className="facts" data-testid="app-info">
          <dt>Version</dt>
          <dd>{info.data.version}</dd>
          <dt>Mode</dt>
          <dd>{info.data.mode === 'electron' ? 'Application de bureau' : 'Hôte navigateur (local)'}</dd>
          <dt>Identifiant du poste</dt>
          <dd>{info.data.workstationId}</dd>
        </dl>
      )}
    </section>
  );
}
