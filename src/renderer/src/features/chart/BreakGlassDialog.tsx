import { useId, useState, type FormEvent } from 'react';
import { BREAK_GLASS_REASONS, type BreakGlassReason } from '../../../../shared/authz/break-glass';
import type { PatientRef } from '../../../../shared/bridge/patient-ref';
import { api } from '../../bridge';
import { FormFooter } from '../forms';
import { useSession } from '../session';
import { Dialog } from '../ui';

/** Local break-glass: a reason from the list plus free text; 4 hours, this patient only, reviewed by the DPO. */
export function BreakGlassDialog({ patient, onGranted, onCancel }: { patient: PatientRef; onGranted: () => void; onCancel: () => void }) {
  const { run, error, busy } = useSession();
  const [reason, setReason] = useState<BreakGlassReason>('urgence_vitale');
  const [justification, setJustification] = useState('');
  const titleId = useId();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await run(() => api.session.breakGlassStart({ patient, reason, justification }))) onGranted();
  };
  return (
    <Dialog labelledBy={titleId} onClose={onCancel} className="dialog break-glass-dialog">
      <h3 id={titleId}>Accès exceptionnel (bris de glace)</h3>
      <form className="dialog-form" onSubmit={submit}>
        <p>Ce patient n’est pas suivi dans vos unités. L’accès sera limité à ce patient pendant 4 heures, tracé et revu par le délégué à la protection des données.</p>
        <label>
          Motif
          <select value={reason} onChange={(e) => setReason(e.target.value as BreakGlassReason)}>
            {Object.entries(BREAK_GLASS_REASONS).map(([k, l]) => (
              <option key={k} value={k}>
                {l}
              </option>
            ))}
          </select>
        </label>
        <label>
          Justification
          <textarea value={justification} onChange={(e) => setJustification(e.target.value)} rows={3} required placeholder="Situation clinique justifiant l’accès" />
        </label>
        <FormFooter error={error} onCancel={onCancel} submitLabel="Accéder au dossier" submitClass="danger" busy={busy} />
      </form>
    </Dialog>
  );
}
