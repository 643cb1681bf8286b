// The real PDF loader: pdf.js with everything that could run document code switched off.
import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';
import type { PdfDocumentHandle } from './pdf-loader';

GlobalWorkerOptions.workerSrc = workerUrl;

export async function openPdf(bytes: Uint8Array): Promise<PdfDocumentHandle> {
  const task = getDocument({
    // pdf.js transfers the buffer to its worker: give it a copy, the caller keeps its bytes.
    data: bytes.slice(),
    isEvalSupported: false, // no `new Function` for PostScript functions
    enableXfa: false, // no XFA forms (their own scripting)
    useWorkerFetch: false, // no fetch of CMaps, standard fonts or wasm: nothing leaves the app
    disableAutoFetch: true,
    disableStream: true,
    disableRange: true,
    stopAtErrors: false,
  });
  const pdf = await task.promise;
  return {
    numPages: pdf.numPages,
    async renderPage(pageNumber, canvas, scale) {
      const page = await pdf.getPage(pageNumber);
      try {
        const viewport = page.getViewport({ scale });
        canvas.width = Math.floor(viewport.width);
        canvas.height = Math.floor(viewport.height);
        await page.render({ canvas, viewport }).promise;
      } finally {
        page.cleanup();
      }
    },
    destroy: () => task.destroy(),
  };
}
