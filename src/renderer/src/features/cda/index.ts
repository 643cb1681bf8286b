export { CdaViewer } from './CdaViewer';
export { CdaDocumentView } from './CdaDocumentView';
export { PdfView } from './PdfView';
export { PdfLoaderContext, loadPdfWithPdfjs, type PdfLoader, type PdfDocumentHandle } from './pdf-loader';
