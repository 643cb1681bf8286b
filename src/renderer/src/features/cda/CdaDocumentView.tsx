import type { CdaBody, CdaParseResult } from '../../../../shared/cda';
import { CdaHeaderCard } from './CdaHeaderCard';
import { CdaSectionView } from './CdaSectionView';
import { PdfView } from './PdfView';
import './cda.css';

/** Renders a parsed CDA into React elements only: no HTML from the document, no network. */
export function CdaDocumentView({ doc }: { doc: CdaParseResult }) {
  if (!doc.ok) {
    return (
      <div className="cda-error" role="alert">
        <strong>Document impossible à afficher.</strong> {doc.error}
      </div>
    );
  }
  const { header, body, warnings, level } = doc.document;
  return (
    <article className="cda-document" aria-label={header.title ?? 'Document CDA'}>
      <CdaHeaderCard header={header} {...(level ? { level } : {})} />
      {warnings.length > 0 && (
        <ul className="cda-warnings" aria-label="Avertissements">
          {warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      <div className="cda-body">
        {body.kind === 'structured' &&
          (body.sections.length > 0 ? (
            body.sections.map((s, i) => <CdaSectionView key={i} section={s} depth={0} />)
          ) : (
            <p className="cda-muted">Le corps du document ne contient aucune section.</p>
          ))}
        {body.kind === 'nonXml' && <NonXmlBody body={body} />}
        {body.kind === 'none' && <p className="cda-muted">Ce document n’a pas de contenu.</p>}
      </div>
    </article>
  );
}

function NonXmlBody({ body }: { body: Extract<CdaBody, { kind: 'nonXml' }> }) {
  if (body.error) return <p className="cda-error" role="alert">Contenu illisible : {body.error}</p>;
  if (body.bytes && body.mediaType === 'application/pdf') return <PdfView bytes={body.bytes} title="Document PDF" />;
  if (body.plainText !== undefined) return <pre className="cda-plain-text">{body.plainText}</pre>;
  if (body.imageDataUri) return <img src={body.imageDataUri} alt="Document (image)" className="cda-image" />;
  if (body.reference) return <p className="cda-media">Contenu externe non chargé : {body.reference}</p>;
  return <p className="cda-media">Contenu non affichable ({body.mediaType ?? 'type inconnu'}).</p>;
}
