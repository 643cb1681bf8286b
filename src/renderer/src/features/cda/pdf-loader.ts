import { createContext } from 'react';

/** An opened PDF, behind an interface so tests (happy-dom has no canvas) can inject a fake. */
export interface PdfDocumentHandle {
  numPages: number;
  renderPage(pageNumber: number, canvas: HTMLCanvasElement, scale: number): Promise<void>;
  destroy(): Promise<void> | void;
}

export type PdfLoader = (bytes: Uint8Array) => Promise<PdfDocumentHandle>;

/** pdf.js is loaded on first use only: most screens never show a PDF. */
export const loadPdfWithPdfjs: PdfLoader = async (bytes) => {
  const { openPdf } = await import('./pdfjs-loader');
  return openPdf(bytes);
};

export const PdfLoaderContext = createContext<PdfLoader>(loadPdfWithPdfjs);

/** French message for a pdf.js failure (its exceptions carry a `name`). */
export function pdfErrorMessage(error: unknown): string {
  const name = error && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'PasswordException':
      return 'Ce PDF est protégé par un mot de passe : il ne peut pas être affiché ici.';
    case 'InvalidPDFException':
      return 'Le fichier PDF est invalide ou endommagé.';
    case 'MissingPDFException':
    case 'ResponseException':
      return 'Le fichier PDF est absent ou incomplet.';
    default:
      return 'Le PDF n\u2019a pas pu être affiché.';
  }
}
