import { useContext, useEffect, useRef, useState } from 'react';
import { PdfLoaderContext, pdfErrorMessage, type PdfDocumentHandle, type PdfLoader } from './pdf-loader';
import './cda.css';

interface PdfViewProps {
  bytes: Uint8Array;
  /** Accessible name of the document shown. */
  title?: string;
  /** Overrides the loader from PdfLoaderContext (tests). */
  loader?: PdfLoader;
  /** Pages drawn before the "show more" button: long PDFs must not freeze the ward PC. */
  pageBatch?: number;
}

type State = { status: 'loading' } | { status: 'ready'; handle: PdfDocumentHandle } | { status: 'error'; message: string };

function renderScale(): number {
  const ratio = typeof window !== 'undefined' && window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
  return Math.min(1.5 * ratio, 3);
}

/** Renders a PDF to canvases with pdf.js (no text or annotation layer: nothing clickable). */
export function PdfView({ bytes, title = 'Document PDF', loader, pageBatch = 20 }: PdfViewProps) {
  const contextLoader = useContext(PdfLoaderContext);
  const load = loader ?? contextLoader;
  // Results are tagged with the bytes and loader they came from, so a new document shows
  // "loading" at once without resetting state inside the effect.
  const [result, setResult] = useState<{ bytes: Uint8Array; load: PdfLoader; state: State }>();
  const [more, setMore] = useState<{ bytes: Uint8Array; shown: number }>();
  const state: State = result && result.bytes === bytes && result.load === load ? result.state : { status: 'loading' };
  const shown = more?.bytes === bytes ? more.shown : pageBatch;

  useEffect(() => {
    let cancelled = false;
    let opened: PdfDocumentHandle | undefined;
    load(bytes).then(
      (handle) => {
        if (cancelled) {
          void handle.destroy();
          return;
        }
        opened = handle;
        setResult({ bytes, load, state: { status: 'ready', handle } });
      },
      (error: unknown) => {
        if (!cancelled) setResult({ bytes, load, state: { status: 'error', message: pdfErrorMessage(error) } });
      },
    );
    return () => {
      cancelled = true;
      if (opened) void opened.destroy();
    };
  }, [bytes, load]);

  if (state.status === 'loading') {
    return (
      <div className="cda-pdf" role="status" aria-label={title}>
        Chargement du PDF…
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="cda-pdf cda-pdf-error" role="alert" aria-label={title}>
        {state.message}
      </div>
    );
  }
  const { handle } = state;
  const count = Math.min(shown, handle.numPages);
  const pages = Array.from({ length: count }, (_, i) => i + 1);
  return (
    <div className="cda-pdf" role="document" aria-label={title}>
      <p className="cda-pdf-info">
        {title} — {handle.numPages} page{handle.numPages > 1 ? 's' : ''}
      </p>
      {pages.map((n) => (
        <PdfPage key={n} handle={handle} pageNumber={n} total={handle.numPages} />
      ))}
      {count < handle.numPages && (
        <button type="button" className="cda-pdf-more" onClick={() => setMore({ bytes, shown: shown + pageBatch })}>
          Afficher les pages suivantes ({handle.numPages - count} restantes)
        </button>
      )}
    </div>
  );
}

function PdfPage({ handle, pageNumber, total }: { handle: PdfDocumentHandle; pageNumber: number; total: number }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [failedFor, setFailedFor] = useState<PdfDocumentHandle>();
  const failed = failedFor === handle;
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    let cancelled = false;
    handle.renderPage(pageNumber, canvas, renderScale()).catch(() => {
      if (!cancelled) setFailedFor(handle);
    });
    return () => {
      cancelled = true;
    };
  }, [handle, pageNumber]);
  return (
    <figure className="cda-pdf-page">
      <canvas ref={canvasRef} className="cda-pdf-canvas" aria-label={`Page ${pageNumber} sur ${total}`} />
      {failed && <figcaption className="cda-pdf-error">La page {pageNumber} n’a pas pu être affichée.</figcaption>}
    </figure>
  );
}
