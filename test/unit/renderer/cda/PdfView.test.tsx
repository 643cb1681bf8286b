import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { PdfView, type PdfDocumentHandle, type PdfLoader } from '../../../../src/renderer/src/features/cda';

const bytes = new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Pages /Count 45 >> endobj\n%%EOF');

function handle(numPages: number) {
  return { numPages, renderPage: vi.fn<PdfDocumentHandle['renderPage']>(async () => undefined), destroy: vi.fn() };
}

describe('PdfView', () => {
  it('shows a placeholder, then the page count and one canvas per page', async () => {
    const h = handle(3);
    let resolve!: (v: typeof h) => void;
    const loader = vi.fn<PdfLoader>(() => new Promise((r) => (resolve = r)));
    const { container } = render(<PdfView bytes={bytes} title="CR" loader={loader} />);
    expect(screen.getByRole('status').textContent).toBe('Chargement du PDF…');
    resolve(h);
    await waitFor(() => expect(screen.getByText('CR — 3 pages')).toBeTruthy());
    expect(container.querySelectorAll('canvas')).toHaveLength(3);
    await waitFor(() => expect(h.renderPage).toHaveBeenCalledTimes(3));
    expect(h.renderPage.mock.calls.map((c) => c[0])).toEqual([1, 2, 3]);
    expect(h.renderPage.mock.calls[0]![1]).toBeInstanceOf(HTMLCanvasElement);
    expect(loader).toHaveBeenCalledWith(bytes);
  });

  it('draws long documents in batches', async () => {
    const h = handle(45);
    render(<PdfView bytes={bytes} loader={async () => h} pageBatch={20} />);
    const more = await screen.findByRole('button', { name: 'Afficher les pages suivantes (25 restantes)' });
    expect(screen.getAllByLabelText(/^Page \d+ sur 45$/)).toHaveLength(20);
    fireEvent.click(more);
    expect(screen.getAllByLabelText(/^Page \d+ sur 45$/)).toHaveLength(40);
  });

  it('says why a PDF cannot be shown', async () => {
    const loader: PdfLoader = async () => {
      throw Object.assign(new Error('No password given'), { name: 'PasswordException' });
    };
    render(<PdfView bytes={bytes} loader={loader} />);
    expect((await screen.findByRole('alert')).textContent).toBe('Ce PDF est protégé par un mot de passe : il ne peut pas être affiché ici.');
  });

  it('reports a page that fails to draw and releases the document on unmount', async () => {
    const h = handle(2);
    h.renderPage.mockImplementation(async (n) => {
      if (n === 2) throw new Error('boom');
    });
    const { unmount } = render(<PdfView bytes={bytes} loader={async () => h} />);
    expect(await screen.findByText('La page 2 n’a pas pu être affichée.')).toBeTruthy();
    unmount();
    expect(h.destroy).toHaveBeenCalledTimes(1);
  });
});
