import { useId } from 'react';
import type { CdaSection } from '../../../../shared/cda';
import { CdaEntries } from './CdaEntries';
import { renderNarrative } from './Narrative';
import { PdfView } from './PdfView';

function countEntries(section: CdaSection): number {
  return section.entries.length;
}

/** One section with its narrative, attachments, coded entries and sub-sections. */
export function CdaSectionView({ section, depth }: { section: CdaSection; depth: number }) {
  const headingId = useId();
  const title = section.title ?? section.code?.displayName ?? 'Section sans titre';
  const level = Math.min(3 + depth, 6);
  const Heading = `h${level}` as 'h3' | 'h4' | 'h5' | 'h6';
  const pdfs = section.attachments.filter((a) => a.mediaType === 'application/pdf' && a.bytes && !a.error);
  const others = section.attachments.filter((a) => !pdfs.includes(a) && !a.mediaType?.startsWith('image/'));
  return (
    <section className="cda-section" aria-labelledby={headingId}>
      <Heading id={headingId} className="cda-section-title">
        {title}
      </Heading>
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
      {countEntries(section) > 0 && (
        <details className="cda-entries">
          <summary>Données codées ({countEntries(section)})</summary>
          <CdaEntries entries={section.entries} />
        </details>
      )}
      {section.sections.map((s, i) => (
        <CdaSectionView key={i} section={s} depth={depth + 1} />
      ))}
    </section>
  );
}
