/**
 * The end of every form: messages that belong to no single field, the
 * form-level error, then Cancel and the primary action.
 */
export function FormFooter({
  otherErrors = [],
  error,
  onCancel,
  submitLabel,
  submitClass = 'primary',
  busy = false,
}: {
  otherErrors?: string[];
  error: string | null;
  onCancel: () => void;
  submitLabel: string;
  submitClass?: 'primary' | 'danger';
  busy?: boolean;
}) {
  return (
    <>
      {otherErrors.map((m) => (
        <p key={m} className="form-error">
          {m}
        </p>
      ))}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onCancel}>
          Annuler
        </button>
        <button type="submit" className={submitClass} disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
