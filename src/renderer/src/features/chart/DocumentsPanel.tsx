import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { documentTypeLabel } from '../../../../shared/loinc-labels';
import { api } from '../../bridge';
import { loadDocumentContent } from '../../db/chart';
import type { DocumentRow } from '../../db/types';
import { CdaViewer, PdfView } from '../cda';
import { recordDb } from '../patients';
import { chartKeys } from './keys';
import { formatDateFr } from '../../../../shared/time';

const STATUS: Record<DocumentRow['status'], string> = { draft: 'Brouillon', final: 'Finalisé', validated: 'Validé' };

/** The local documents of the chart and a viewer: CDA through the shared safe renderer, PDF through pdf.js. */
export function DocumentsPanel({ documents, patient }: { documents: DocumentRow[]; patient: PatientRef }) {
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <div className="documents-panel">
      <ul className="document-list" aria-label="Documents du dossier">
        {documents.length === 0 && <li className="hint">Aucun document.</li>}
        {documents.map((d) => (
          <li key={d.id}>
            <button type="button" className={`document-item ${d.id === openId ? 'active' : ''}`} onClick={() => setOpenId(d.id)}>
              <span className="document-title">{d.title || documentTypeLabel(d.typeCode, d.typeLabel)}</span>
              <span className="document-meta">
                {formatDateFr(d.date)} · {documentTypeLabel(d.typeCode, d.typeLabel)} · {d.author ?? 'auteur inconnu'} · {STATUS[d.status]}
              </span>
            </button>
          </li>
        ))}
      </ul>
      <div className="document-viewer">{openId ? <DocumentContent id={openId} patient={patient} /> : <p className="hint">Choisissez un document.</p>}</div>
    </div>
  );
}

function DocumentContent({ id, patient }: { id: string; patient: PatientRef }) {
  const doc = useQuery({
    queryKey: chartKeys.document(id),
    queryFn: async () => {
      const r = await loadDocumentContent(recordDb(), id);
      if (!r) throw new Error('Document introuvable dans le dossier local.');
      const ack = await api.record.reportAccess({ patient, event: 'record.document.view', entity: { type: 'DocumentReference', id } });
      if (!ack.ok) throw new Error(ack.error.message);
      return r;
    },
  });
  if (doc.isPending) return <p className="hint">Ouverture du document…</p>;
  if (doc.isError) return <p className="form-error">{doc.error.message}</p>;
  const { content, document } = doc.data;
  if (!content) return <p className="hint">Ce document n’a pas de contenu enregistré.</p>;
  if (content.kind === 'pdf' && content.data instanceof Uint8Array) return <PdfView bytes={content.data} title={document.title} />;
  if (content.kind === 'cda' && typeof content.data === 'string') return <CdaViewer xml={content.data} />;
  return <pre className="document-text">{typeof content.data === 'string' ? content.data : '(contenu binaire)'}</pre>;
}
