import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, unwrap } from '../../bridge';
import { importFhirBundle, parseBundleText, type ImportReport } from '../../db/import';
import { patientKeys, recordDb } from '../patients';

const MAX_FILE_BYTES = 200 * 1024 * 1024;

export interface ImportProgress {
  label: string;
  done: number;
  total: number;
}

/** Adds one bundle's report to the running total of a multi-bundle import (the first one is the total). */
function merge(total: ImportReport | null, r: ImportReport, prefix = ''): ImportReport {
  if (!total) return r;
  total.total += r.total;
  total.patients += r.patients;
  total.rejected.push(...(prefix ? r.rejected.map((x) => ({ ...x, reason: `${prefix}${x.reason}` })) : r.rejected));
  for (const k of Object.keys(r.imported) as (keyof ImportReport['imported'])[]) total.imported[k] += r.imported[k];
  return total;
}

/**
 * The three ways data comes in (a chosen file, the files prepared in the data directory, a
 * generated demonstration population), all through the same import path, with progress,
 * the report, one journal entry and the patient searches refreshed.
 */
export function useImport() {
  const qc = useQueryClient();
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  /** Runs one import: clears the last outcome, reports or shows the error, always ends the progress. */
  const run = async (what: () => Promise<{ report: ImportReport; label: string } | null>) => {
    setError(null);
    setReport(null);
    try {
      const done = await what();
      if (!done) return;
      setReport(done.report);
      await api.record.reportSearch({ query: `import: ${done.label}`.slice(0, 200) });
      await qc.invalidateQueries({ queryKey: patientKeys.searches });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setProgress(null);
    }
  };

  const importFile = (file: File) => {
    if (file.size > MAX_FILE_BYTES) {
      setReport(null);
      setError('Fichier trop volumineux (200 Mo au plus) : découpez le Bundle.');
      return Promise.resolve();
    }
    return run(async () => {
      setProgress({ label: `Lecture de ${file.name}…`, done: 0, total: 1 });
      const bundle = parseBundleText(await file.text());
      const r = await importFhirBundle(recordDb(), bundle, { onProgress: (done, total) => setProgress({ label: `Import de ${file.name}`, done, total }) });
      return { report: r, label: file.name };
    });
  };

  const importPrepared = (files: readonly { name: string }[]) =>
    run(async () => {
      let merged: ImportReport | null = null;
      for (const [i, f] of files.entries()) {
        const label = `Fichier ${i + 1}/${files.length} : ${f.name}`;
        setProgress({ label, done: 0, total: 1 });
        const { text } = await unwrap(api.record.importFile({ name: f.name }));
        const r = await importFhirBundle(recordDb(), parseBundleText(text), { onProgress: (done, total) => setProgress({ label, done, total }) });
        merged = merge(merged, r, `${f.name} — `);
      }
      return merged && { report: merged, label: `${files.length} fichier(s) préparé(s)` };
    });

  // Main generates the population lot by lot and indexes each one (it decides access from what it
  // produced itself); the renderer imports the same lots into its record.
  const importDemo = (count: number) =>
    run(async () => {
      let merged: ImportReport | null = null;
      let next: number | null = 0;
      while (next !== null) {
        const lot: { text: string; first: number; count: number; next: number | null; dmpPatients?: string } = await unwrap(api.record.importDemo({ total: count, first: next }));
        merged = merge(merged, await importFhirBundle(recordDb(), parseBundleText(lot.text)));
        // The people of the embedded "DMP de test" join the demo record with qualified identities (not counted).
        if (lot.dmpPatients) await importFhirBundle(recordDb(), parseBundleText(lot.dmpPatients));
        next = lot.next;
        setProgress({ label: 'Population de démonstration', done: lot.first + lot.count, total: count });
      }
      return merged && { report: merged, label: `démonstration ${count} patients` };
    });

  return { progress, report, error, importFile, importPrepared, importDemo };
}
