import { useMutation } from '@tanstack/react-query';
import { useMemo } from 'react';
import type { DmpAccessMode, DmpEntry } from '../../../../shared/bridge/methods-dmp';
import { base64ToBytes } from '../../../../shared/text/base64';
import { api, unwrap } from '../../bridge';
import { CdaViewer, PdfView } from '../cda';
import { statesOf, typeLabelOf } from './document-filters';
import { dmpInput, useDmpDocument } from './queries';
import type { DmpIntegration, DmpPatient } from './types';

/** One DMP document: the safe CDA viewer (level 3, or level 1 through pdf.js), and "Intégrer au dossier". */
export function DocumentViewer({
  patient,
  mode,
  entry,
  onClose,
  onIntegrate,
}: {
  patient: DmpPatient;
  mode: DmpAccessMode;
  entry: DmpEntry;
  onClose(): void;
  onIntegrate?: ((doc: DmpIntegration) => Promise<void> | void) | undefined;
}) {
  const doc = useDmpDocument(patient, mode, entry);
  const integrate = useMutation({
    mutationFn: async () => {
      const result = await unwrap(
        api.dmp.integrate({ ...dmpInput(patient), accessMode: mode, document: { uniqueId: entry.uniqueId, repositoryUniqueId: entry.repositoryUniqueId, entryUUID: entry.entryUUID } }),
      );
      const { seq, ...document } = result;
      await onIntegrate!({ patient, entry, document, seq });
    },
  });
  const pdfBytes = useMemo(() => (doc.data && doc.data.encoding === 'base64' && doc.data.mimeType === 'application/pdf' ? base64ToBytes(doc.data.content) : undefined), [doc.data]);

  return (
    <section className="dmp-viewer" aria-label={`Document du DMP : ${entry.title}`} data-testid="dmp-viewer">
      <div className="dmp-viewer-bar">
        <button type="button" onClick={onClose}>
          ← Retour à la liste
        </button>
        <strong>{typeLabelOf(entry)}</strong>
        <span className="dmp-states">
          {statesOf(entry).map((s) => (
            <span key={s.key} className={`dmp-badge dmp-badge-${s.key}`}>
              {s.label}
            </span>
          ))}
        </span>
        {onIntegrate && (
          <button type="button" className="primary" disabled={!doc.data || integrate.isPending || integrate.isSuccess} onClick={() => integrate.mutate()}>
            {integrate.isSuccess ? 'Intégré au dossier' : 'Intégrer au dossier'}
          </button>
        )}
      </div>
      {integrate.isSuccess && <p className="dmp-success" role="status">Document intégré au dossier patient.</p>}
      {integrate.error && (
        <p className="dmp-error" role="alert">
          {integrate.error.message}
        </p>
      )}
      {doc.isPending && <p role="status">Téléchargement du document depuis le DMP…</p>}
      {doc.error && (
        <p className="dmp-error" role="alert">
          {doc.error.message}
        </p>
      )}
      {doc.data &&
        (doc.data.encoding === 'text' ? (
          <CdaViewer xml={doc.data.content} />
        ) : pdfBytes ? (
          <PdfView bytes={pdfBytes} title={entry.title} />
        ) : (
          <p className="dmp-hint">Format non affichable sur ce poste ({doc.data.mimeType}).</p>
        ))}
    </section>
  );
}
