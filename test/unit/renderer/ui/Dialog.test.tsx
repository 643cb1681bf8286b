import { fireEvent, render, screen } from '@testing-library/react';
import { useId, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Dialog } from '../../../../src/renderer/src/features/ui';

function Harness({ modal = true, onClosed = () => undefined }: { modal?: boolean; onClosed?: () => void }) {
  const [open, setOpen] = useState(false);
  const titleId = useId();
  const close = () => {
    onClosed();
    setOpen(false);
  };
  return (
    <>
      <button type="button" onClick={() => setOpen(true)}>
        Ouvrir
      </button>
      <button type="button">Autre</button>
      {open && (
        <Dialog labelledBy={titleId} onClose={close} modal={modal}>
          <h2 id={titleId}>Motif de l’accès</h2>
          <input aria-label="Justification" />
          <button type="button">Valider</button>
          <button type="button" onClick={close}>
            Annuler
          </button>
        </Dialog>
      )}
    </>
  );
}

/** Opens the dialog the way a keyboard user does: focus on the opener, then activate it. */
function open(modal = true, onClosed = vi.fn()) {
  render(<Harness modal={modal} onClosed={onClosed} />);
  const opener = screen.getByRole('button', { name: 'Ouvrir' });
  opener.focus();
  fireEvent.click(opener);
  return { opener, dialog: screen.getByRole('dialog', { name: 'Motif de l’accès' }) as HTMLDialogElement, onClosed };
}

afterEach(() => vi.restoreAllMocks());

describe('Dialog', () => {
  it('opens as a modal, moves the focus to its first control, closes on Escape and gives the focus back', () => {
    const showModal = vi.spyOn(HTMLDialogElement.prototype, 'showModal');
    const { opener, dialog, onClosed } = open();
    expect(showModal).toHaveBeenCalledTimes(1);
    expect(dialog.open).toBe(true);
    expect(document.activeElement).toBe(screen.getByLabelText('Justification'));

    fireEvent.keyDown(screen.getByLabelText('Justification'), { key: 'Escape' });
    expect(onClosed).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps Tab inside a modal dialog, both ways', () => {
    const { dialog } = open();
    const first = screen.getByLabelText('Justification');
    const last = screen.getByRole('button', { name: 'Annuler' });
    last.focus();
    fireEvent.keyDown(last, { key: 'Tab' });
    expect(document.activeElement).toBe(first);
    fireEvent.keyDown(first, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(last);
    expect(dialog.contains(document.activeElement)).toBe(true);
  });

  it('closes on the platform’s close request (cancel event) through the same onClose', () => {
    const { opener, dialog, onClosed } = open();
    const cancel = new Event('cancel', { cancelable: true });
    fireEvent(dialog, cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(onClosed).toHaveBeenCalledTimes(1);
    expect(document.activeElement).toBe(opener);
  });

  it('still opens, takes the focus and closes on Escape where <dialog> has no showModal', () => {
    // As in a DOM without the method: the component must feature-detect it.
    vi.spyOn(HTMLDialogElement.prototype as unknown as { showModal: unknown }, 'showModal', 'get').mockReturnValue(undefined);
    const { opener, dialog } = open();
    expect(dialog.hasAttribute('open')).toBe(true);
    expect(document.activeElement).toBe(screen.getByLabelText('Justification'));
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('inline (non-modal): shown without showModal, focuses itself rather than a choice, lets Tab leave', () => {
    const showModal = vi.spyOn(HTMLDialogElement.prototype, 'showModal');
    const { dialog } = open(false);
    expect(showModal).not.toHaveBeenCalled();
    expect(dialog.open).toBe(true);
    expect(dialog.getAttribute('aria-modal')).toBeNull();
    expect(document.activeElement).toBe(dialog);
    const last = screen.getByRole('button', { name: 'Annuler' });
    last.focus();
    const tab = fireEvent.keyDown(last, { key: 'Tab' });
    expect(tab).toBe(true); // not prevented: the browser moves on
  });
});
