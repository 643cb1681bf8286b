import { useEffect, useLayoutEffect, useRef, type KeyboardEvent, type ReactNode, type SyntheticEvent } from 'react';

const FOCUSABLE = 'button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

function focusables(root: HTMLElement): HTMLElement[] {
  return [...root.querySelectorAll<HTMLElement>(FOCUSABLE)];
}

export interface DialogProps {
  /** Id of the heading that names the dialog (the caller's useId()). */
  labelledBy: string;
  /** Escape, or the platform's close request; without it the dialog only closes by its own buttons. */
  onClose?: () => void;
  /**
   * Modal (default): the rest of the page is inert and Tab stays inside. Non-modal dialogs sit in
   * the page flow (the DMP consent choices) and only take the focus when they appear.
   */
  modal?: boolean;
  /** "alertdialog" for a warning that needs an answer before going on. */
  role?: 'dialog' | 'alertdialog';
  className?: string;
  testId?: string;
  /** Focus the first control on open; by default only modal dialogs do (see below). */
  focusFirstControl?: boolean;
  children: ReactNode;
}

/**
 * Every dialog of the renderer: a native <dialog> opened with showModal() when the platform has
 * it (the browser then makes the page inert), focus moved to the first control on open, Escape
 * closing, Tab kept inside, and the focus handed back to whatever opened it once it goes away.
 * Focus moves and Escape are handled here too, so they do not depend on the DOM implementation.
 */
export function Dialog({ labelledBy, onClose, modal = true, role = 'dialog', className, testId, focusFirstControl = modal, children }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  useEffect(() => {
    onCloseRef.current = onClose;
  }, [onClose]);

  useLayoutEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
    if (!dialog.open) {
      if (modal && typeof dialog.showModal === 'function') dialog.showModal();
      else if (typeof dialog.show === 'function') dialog.show();
      else dialog.setAttribute('open', '');
    }
    // A modal dialog hands the focus to its first control; an inline one takes it itself, so
    // a consequential choice (the DMP consent) is never one stray Enter away.
    (focusFirstControl ? (focusables(dialog)[0] ?? dialog) : dialog).focus();
    return () => {
      // Back to the opener if the focus was still ours and the opener is still on screen (a
      // granted access may have replaced it); a click elsewhere keeps its own focus.
      const hadFocus = dialog.contains(document.activeElement) || document.activeElement === document.body;
      if (dialog.open && typeof dialog.close === 'function') dialog.close();
      if (hadFocus && opener?.isConnected) opener.focus();
    };
  }, [modal, focusFirstControl]);

  const onKeyDown = (e: KeyboardEvent<HTMLDialogElement>) => {
    if (e.key === 'Escape') {
      // Handled here, not left to the native close: React state decides whether the dialog exists.
      e.preventDefault();
      e.stopPropagation();
      onCloseRef.current?.();
    } else if (e.key === 'Tab' && modal) {
      const all = focusables(e.currentTarget);
      const first = all[0];
      const last = all.at(-1);
      if (!first || !last) return;
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first.focus();
      }
    }
  };
  const onCancel = (e: SyntheticEvent<HTMLDialogElement>) => {
    e.preventDefault();
    onCloseRef.current?.();
  };

  return (
    <dialog
      ref={ref}
      className={['app-dialog', modal ? 'app-dialog-modal' : 'app-dialog-inline', className].filter(Boolean).join(' ')}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      aria-labelledby={labelledBy}
      aria-modal={modal || undefined}
      data-testid={testId}
      onKeyDown={onKeyDown}
      onCancel={onCancel}
      tabIndex={-1}
    >
      {children}
    </dialog>
  );
}
