import path from 'node:path';

// pdf.js reads the standard 14 fonts' metrics from here (the report uses Helvetica).
const FONTS = path.resolve(__dirname, '..', '..', 'node_modules', 'pdfjs-dist', 'standard_fonts') + path.sep;

/** The text of a PDF, page by page, as a reader would select it (pdf.js, the renderer's own viewer). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, standardFontDataUrl: FONTS, isEvalSupported: false }).promise;
  const pages: string[] = [];
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str + (it.hasEOL ? '\n' : ' ') : '')).join(''));
  }
  await doc.destroy();
  return pages.join('\n');
}
