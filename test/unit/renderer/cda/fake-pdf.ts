import { vi } from 'vitest';
import type { PdfDocumentHandle, PdfLoader } from '../../../../src/renderer/src/features/cda';

/**
 * happy-dom has no canvas, so pdf.js cannot draw here: this loader checks the bytes really are a
 * PDF and reports the page count written in its page tree, recording what the view asks for.
 */
export function fakePdfLoader() {
  const handles: (PdfDocumentHandle & { renderPage: ReturnType<typeof vi.fn>; destroy: ReturnType<typeof vi.fn> })[] = [];
  const loader = vi.fn<PdfLoader>(async (bytes) => {
    const head = String.fromCharCode(...bytes.slice(0, 5));
    if (head !== '%PDF-') throw Object.assign(new Error('Invalid PDF structure.'), { name: 'InvalidPDFException' });
    const text = new TextDecoder('latin1').decode(bytes);
    const counts = [...text.matchAll(/\/Type\s*\/Pages[^>]*?\/Count\s+(\d+)/g)].map((m) => Number(m[1]));
    const handle = {
      numPages: counts.length > 0 ? Math.max(...counts) : 1,
      renderPage: vi.fn(async () => undefined),
      destroy: vi.fn(),
    };
    handles.push(handle);
    return handle;
  });
  return { loader, handles };
}
