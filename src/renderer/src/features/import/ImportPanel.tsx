import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { generateBundles } from '../../../../shared/seed';
import { api, unwrap } from '../../bridge';
import { importFhirBundle, parseBundleText, type ImportReport } from '../../db/import/bundle';
import { patientKeys, recordDb } from '../patients';
import { seedDemoDmpPatients } from './demo-dmp-patients';
import { importKeys } from './keys';

const MAX_FILE_BYTES = 200 * 1024 * 1024;

interface Progress {
  label: string;
  done: number;
  total: number;
}

/**
 * Data in: a FHIR R4 Bundle chosen by the user, or a generated demonstration
 * population, both through the same import path, with a progress bar and a
 * report of every rejected resource (position and reason).
 */
export function ImportPanel({ onClose }: { onClose: () => void }) {
  const qc = useQueryClient();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [demoCount, setDemoCount] = useState(1000);

  const finish = async (r: ImportReport, what: string) => {
    setReport(r);
    await api.record.reportSearch({ query: `import: ${what}`.slice(0, 200) });
    await qc.invalidateQueries({ queryKey: patientKeys.searches });
  };

  const importFile = async (file: File) => {
    setError(null);
    setReport(null);
    if (file.size > MAX_FILE_BYTES) return setError('Fichier trop volumineux (200 Mo au plus) : découpez le Bundle.');
    try {
      setProgress({ label: `Lecture de ${file.name}…`, done: 0, total: 1 });
      const bundle = parseBundleText(await file.text());
      const r = await importFhirBundle(recordDb(), bundle, { onProgress: (done, total) => setProgress({ label: `Import de ${file.name}`, done, total }) });
      await finish(r, file.name);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setProgress(null);
    }
  };

  const loadDemo = async () => {
    setError(null);
    setReport(null);
    let merged: ImportReport | null = null;
    try {
      let done = 0;
      for (const { bundle, count } of generateBundles(demoCount, { seed: 2026, perBundle: 250 })) {
        const r = await importFhirBundle(recordDb(), bundle);
        done += count;
        setProgress({ label: 'Population de démonstration', done, total: demoCount });
        if (!merged) merged = r;
        else {
          merged.total += r.total;
          merged.patients += r.patients;
          merged.rejected.push(...r.rejected);
          for (const k of Object.keys(r.imported) as (keyof ImportReport['imported'])[]) merged.imported[k] += r.imported[k];
        }
      }
      // The people of the embedded "DMP de test" join the demo record with qualified identities.
      await seedDemoDmpPatients(recordDb());
      if (merged) await finish(merged, `démonstration ${demoCount} patients`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setProgress(null);
    }
  };

  const prepared = useQuery({ queryKey: importKeys.preparedFiles, queryFn: () => unwrap(api.record.importFiles({})) });
  const importPrepared = async () => {
    setError(null);
    setReport(null);
    const files = prepared.data ?? [];
    let merged: ImportReport | null = null;
    try {
      for (const [i, f] of files.entries()) {
        setProgress({ label: `Fichier ${i + 1}/${files.length} : ${f.name}`, done: 0, total: 1 });
        const { text } = await unwrap(api.record.importFile({ name: f.name }));
        const r = await importFhirBundle(recordDb(), parseBundleText(text), {
          onProgress: (done, total) => setProgress({ label: `Fichier ${i + 1}/${files.length} : ${f.name}`, done, total }),
        });
        if (!merged) merged = r;
        else {
          merged.total += r.total;
          merged.patients += r.patients;
          merged.rejected.push(...r.rejected.map((x) => ({ ...x, reason: `${f.name} — ${x.reason}` })));
          for (const k of Object.keys(r.imported) as (keyof ImportReport['imported'])[]) merged.imported[k] += r.imported[k];
        }
      }
      if (merged) await finish(merged, `${files.length} fichier(s) préparé(s)`);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setProgress(null);
    }
  };

  const pct = progress && progress.total ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <section className="panel import-panel" aria-labelledby="import-title">
      <div className="admin-actions">
        <h2 id="import-title">Importer des données</h2>
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
          <button type="button" onClick={() => void importPrepared()} disabled={!!progress}>
            Importer les fichiers préparés
          </button>
        </div>
      )}
      <div className="inline-form">
        <label>
          Patients de démonstration
          <input type="number" min={1} max={200000} value={demoCount} onChange={(e) => setDemoCount(Math.max(1, Math.min(200000, Number(e.target.value) || 1)))} />
        </label>
        <button type="button" onClick={() => void loadDemo()} disabled={!!progress}>
          Générer et importer
        </button>
      </div>
      {progress && (
        <div>
          <p className="hint">
            {progress.label} — {progress.done.toLocaleString('fr-FR')} / {progress.total.toLocaleString('fr-FR')}
          </p>
          <div className="progress" role="progressbar" aria-label={progress.label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct}>
            <div className="progress-bar" style={{ width: `${pct}%` }} />
          </div>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      {report && (
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
      )}
    </section>
  );
}
