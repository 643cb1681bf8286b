import { useEffect, useId, useState } from 'react';
import { api } from '../../bridge';

type Job = Extract<Awaited<ReturnType<typeof api.audit.verifyStart>>, { ok: true }>['value'];

/** "Vérifier le journal": recomputes the tree and checks every signature, with progress and a plain verdict. */
export function VerifyJournal() {
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();

  useEffect(() => {
    if (!job || job.state !== 'running') return;
    const id = window.setTimeout(async () => {
      const r = await api.audit.verifyStatus({ jobId: job.jobId });
      if (r.ok) setJob(r.value);
      else setError(r.error.message);
    }, 300);
    return () => window.clearTimeout(id);
  }, [job]);

  const start = async () => {
    setError(null);
    const r = await api.audit.verifyStart({});
    if (r.ok) setJob(r.value);
    else setError(r.error.message);
  };
  const pct = job && job.totalBytes > 0 ? Math.round((job.doneBytes / job.totalBytes) * 100) : 0;
  const result = job?.result;
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h2 id={titleId}>Intégrité du journal</h2>
      <p className="hint">Recalcule l’arbre de Merkle de toutes les entrées et vérifie chaque point de contrôle signé par la clé du poste.</p>
      <button type="button" className="primary" onClick={() => void start()} disabled={job?.state === 'running'}>
        Vérifier le journal
      </button>
      {job && (
        <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} aria-label="Progression de la vérification">
          <div className="progress-bar" style={{ width: `${pct}%` }} />
        </div>
      )}
      {job?.state === 'failed' && <p className="verdict bad">Vérification impossible : {job.error}</p>}
      {result && (
        <p className={`verdict ${result.ok ? 'good' : 'bad'}`} role="status" data-testid="verify-verdict">
          {result.ok
            ? `Journal intègre : ${result.entries.toLocaleString('fr-FR')} entrées, ${result.checkpoints} points de contrôle signés valides${result.unsignedTail ? ` (${result.unsignedTail} entrée(s) récentes pas encore scellées)` : ''}.`
            : `Journal altéré${result.firstBadSeq !== undefined ? ` à partir de l’entrée n° ${result.firstBadSeq}` : ''} : ${result.reason ?? 'raison inconnue'}`}
        </p>
      )}
      {error && <p className="form-error">{error}</p>}
    </section>
  );
}
