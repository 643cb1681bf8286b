import type { CdaSection } from '../../../../../shared/cda';
import { CdaEntries } from '../CdaEntries';
import { renderNarrative } from '../Narrative';
import { PdfView } from '../PdfView';

/**
 * The default view of a section's body, for every section no specific view claims: the
 * narrative (the authoritative text), attachments, then the coded entries folded away.
 */
export function NarrativeSection({ section }: { section: CdaSection }) {
  const pdfs = section.attachments.filter((a) => a.mediaType === 'application/pdf' && a.bytes && !a.error);
  const others = section.attachments.filter((a) => !pdfs.includes(a) && !a.mediaType?.startsWith('image/'));
  return (
    <>
      {section.text.length > 0 && <div className="cda-narrative">{renderNarrative(section.text)}</div>}
      {pdfs.map((a, i) => (
        <PdfView key={a.id ?? i} bytes={a.bytes as Uint8Array} title={section.isPdfCopy ? 'Copie PDF du document' : `Pièce jointe PDF ${a.id ?? ''}`.trim()} />
      ))}
      {others.map((a, i) => (
        <p key={`o${i}`} className="cda-media">
          {a.error
            ? `Pièce jointe illisible : ${a.error}`
            : a.reference && !a.bytes
              ? `Pièce jointe externe non chargée : ${a.reference}`
              : `Pièce jointe non affichable (${a.mediaType ?? 'type inconnu'})`}
        </p>
      ))}
      {section.entries.length > 0 && (
        <details className="cda-entries">
          <summary>Données codées ({section.entries.length})</summary>
          <CdaEntries entries={section.entries} />
        </details>
      )}
    </>
  );
}
