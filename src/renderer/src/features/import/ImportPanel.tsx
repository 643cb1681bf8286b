import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api, unwrap } from '../../bridge';
import type { ImportReport } from '../../db/import';
import { Dialog } from '../ui';
import { importKeys } from './keys';
import { useImport, type ImportProgress } from './use-import';

/**
 * Data in: a FHIR R4 Bundle chosen by the user, or a generated demonstration
 * population, both through the same import path, with a progress bar and a
 * report of every rejected resource (position and reason). A modal dialog:
 * Escape or "Fermer" close it, the focus goes back to "Importer des données…".
 */
export function ImportPanel({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const { progress, report, error, importFile, importPrepared, importDemo } = useImport();
  const [demoCount, setDemoCount] = useState(1000);
  const prepared = useQuery({ queryKey: importKeys.preparedFiles, queryFn: () => unwrap(api.record.importFiles({})) });

  return (
    <Dialog labelledBy={titleId} onClose={onClose} className="panel import-panel">
      <div className="admin-actions">
        <h2 id={titleId}>Importer des données</h2>
        <button type="button" onClick={onClose}>
          Fermer
        </button>
      </div>
      <label>
        Fichier FHIR R4 (Bundle JSON)
        <input type="file" accept=".json,application/fhir+json,application/json" disabled={!!progress} onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />
      </label>
      {prepared.data && prepared.data.length > 0 && (
        <div className="inline-form">
          <p className="hint">
            {prepared.data.length} fichier(s) préparé(s) dans le dossier de données du poste ({(prepared.data.reduce((n, f) => n + f.bytes, 0) / 1048576).toFixed(1)} Mo), par exemple par « npm run seed ».
          </p>
          <button type="button" onClick={() => void importPrepared(prepared.data)} disabled={!!progress}>
            Importer les fichiers préparés
          </button>
        </div>
      )}
      <div className="inline-form">
        <label>
          Patients de démonstration
          <input type="number" min={1} max={200000} value={demoCount} onChange={(e) => setDemoCount(Math.max(1, Math.min(200000, Number(e.target.value) || 1)))} />
        </label>
        <button type="button" onClick={() => void importDemo(demoCount)} disabled={!!progress}>
          Générer et importer
        </button>
      </div>
      {progress && <ProgressBar progress={progress} />}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {report && <Report report={report} />}
    </Dialog>
  );
}

function ProgressBar({ progress }: { progress: ImportProgress }) {
  const pct = progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div>
      <p className="hint">
        {progress.label} — {progress.done.toLocaleString('fr-FR')} / {progress.total.toLocaleString('fr-FR')}
      </p>
      <div className="progress" role="progressbar" aria-label={progress.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
        <div className="progress-bar" style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

function Report({ report }: { report: ImportReport }) {
  return (
    <div role="status" data-testid="import-report">
      <p>
        {report.patients.toLocaleString('fr-FR')} patient(s) importé(s) ou mis à jour, {report.total.toLocaleString('fr-FR')} ressource(s) lues, {report.rejected.length} rejetée(s).
      </p>
      {report.rejected.length > 0 && (
        <ul className="import-issues">
          {report.rejected.slice(0, 50).map((i) => (
            <li key={`${i.index}-${i.resourceType}`}>
              Entrée n° {i.index + 1} ({i.resourceType}) : {i.reason}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
