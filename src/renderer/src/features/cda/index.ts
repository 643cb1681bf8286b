export { CdaViewer } from './CdaViewer';
export { CdaDocumentView } from './CdaDocumentView';
export { PdfView } from './PdfView';
export { PdfLoaderContext, loadPdfWithPdfjs, type PdfLoader, type PdfDocumentHandle } from './pdf-loader';
export { CdaSectionViewsContext, SECTION_VIEWS, sectionViewFor, type SectionView, type SectionViewProps, type SectionViews } from './sections/registry';
