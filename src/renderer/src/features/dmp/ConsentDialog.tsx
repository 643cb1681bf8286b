import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { DmpStatusView } from '../../../../shared/bridge/methods-dmp';
import type { Role } from '../../../../shared/bridge/roles';
import { DMP_EMERGENCY_ACCESS_ROLES, hasRole } from '../../../../shared/authz/roles';
import { api, unwrap } from '../../bridge';
import { Dialog } from '../ui';
import { recordEmergencyAccess } from './emergency';
import { dmpKeys } from './keys';
import { dmpInput } from './queries';
import type { DmpPatient } from './types';

type Qualified = Extract<DmpStatusView, { insQualified: true }>;

const MIN_JUSTIFICATION = 10;

/**
 * The four lawful ways forward when no authorisation is valid (issue 7 item 1).
 * Nothing here happens on its own: each path is one explicit click of the user.
 */
export function ConsentDialog({ patient, status, role, onRefused }: { patient: DmpPatient; status: Qualified; role?: Role | undefined; onRefused(): void }) {
  const client = useQueryClient();
  const titleId = useId();
  const [breakGlassOpen, setBreakGlassOpen] = useState(false);
  const [justification, setJustification] = useState('');

  const setAccess = (access: NonNullable<Qualified['access']>) =>
    client.setQueryData<DmpStatusView>(dmpKeys.status(patient.ref.id), (prev) => (prev && prev.insQualified ? { ...prev, access } : prev));

  const consent = useMutation({
    mutationFn: () => unwrap(api.dmp.consent({ ...dmpInput(patient), patientInformedAndConsents: true })),
    onSuccess: ({ access }) => setAccess(access),
  });
  const refuse = useMutation({
    mutationFn: () => unwrap(api.dmp.refuse(dmpInput(patient))),
    onSuccess: () => onRefused(),
  });
  const emergency = useMutation({
    mutationFn: (mode: 'bris_de_glace' | 'centre_15') =>
      unwrap(api.dmp.emergencyAccess({ ...dmpInput(patient), mode, ...(mode === 'bris_de_glace' ? { justification: justification.trim() } : {}) })),
    onSuccess: ({ access }) => {
      if (access.mode !== 'normal') {
        recordEmergencyAccess(client, { patientId: patient.ref.id, patientLabel: patient.displayName, mode: access.mode, since: new Date().toISOString() });
      }
      setAccess(access);
    },
  });
  const busy = consent.isPending || refuse.isPending || emergency.isPending;
  // A break-glass failure is shown in its own (modal) dialog, not behind it.
  const error = consent.error ?? refuse.error ?? (breakGlassOpen ? null : emergency.error);
  const mayEmergency = role === undefined || hasRole(DMP_EMERGENCY_ACCESS_ROLES, role);

  return (
    <Dialog modal={false} labelledBy={titleId} className="dmp-consent" testId="dmp-consent">
      <h2 id={titleId}>Accès au DMP de {patient.displayName}</h2>
      <p>
        {status.authorization === 'EXPIRE'
          ? 'Votre autorisation d’accès à ce DMP a expiré. Pour la renouveler, informez le patient et recueillez son accord.'
          : 'Vous n’avez pas d’autorisation d’accès à ce DMP. Informez le patient de la consultation de son DMP et recueillez son accord avant tout accès.'}
      </p>

      <div className="dmp-choices">
        <div className="dmp-choice">
          <button type="button" className="primary" disabled={busy} onClick={() => consent.mutate()}>
            Le patient est informé et consent
          </button>
          <p className="dmp-hint">Ajoute votre autorisation d’accès au DMP (TD0.3), au nom de votre consentement recueilli.</p>
        </div>

        <div className="dmp-choice">
          <button type="button" disabled={busy} onClick={() => refuse.mutate()}>
            Le patient refuse
          </button>
          <p className="dmp-hint">Le refus est tracé ; aucun document n’est consulté.</p>
        </div>

        <div className="dmp-choice dmp-choice-emergency">
          {!mayEmergency ? (
            <p className="dmp-hint">Bris de glace : réservé aux médecins et urgentistes.</p>
          ) : status.oppositions.brisDeGlace ? (
            <p className="dmp-blocked" data-testid="dmp-opposition-bdg">
              Bris de glace impossible : le patient s’est opposé à l’accès en urgence à son DMP.
            </p>
          ) : (
            <>
              <button type="button" className="danger" disabled={busy} onClick={() => setBreakGlassOpen(true)}>
                Bris de glace
              </button>
              {breakGlassOpen && (
                <BreakGlassForm
                  justification={justification}
                  onChange={setJustification}
                  busy={busy}
                  error={emergency.error?.message}
                  onSubmit={() => emergency.mutate('bris_de_glace')}
                  onCancel={() => setBreakGlassOpen(false)}
                />
              )}
            </>
          )}
        </div>

        <div className="dmp-choice">
          {status.oppositions.centre15 ? (
            <p className="dmp-blocked" data-testid="dmp-opposition-c15">
              Centre 15 impossible : le patient s’est opposé à l’accès par la régulation du SAMU.
            </p>
          ) : !status.regulation || !mayEmergency ? (
            <>
              <button type="button" disabled>
                Centre 15
              </button>
              <p className="dmp-hint">Réservé aux médecins régulateurs, depuis un poste de régulation du SAMU (centre 15).</p>
            </>
          ) : (
            <button type="button" disabled={busy} onClick={() => emergency.mutate('centre_15')}>
              Centre 15
            </button>
          )}
        </div>
      </div>
      {error && (
        <p className="dmp-error" role="alert">
          {error.message}
        </p>
      )}
    </Dialog>
  );
}

/** DMP break-glass: modal, the justification first; Escape or Annuler go back to the choices. */
function BreakGlassForm(props: { justification: string; onChange(v: string): void; busy: boolean; error: string | undefined; onSubmit(): void; onCancel(): void }) {
  const titleId = useId();
  const short = props.justification.trim().length < MIN_JUSTIFICATION;
  return (
    <Dialog labelledBy={titleId} onClose={props.onCancel} className="dmp-break-glass-form">
      <h3 id={titleId}>Accès au DMP en bris de glace</h3>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!short) props.onSubmit();
        }}
      >
        <p>
          Urgence, patient hors d’état de consentir et risque immédiat pour sa santé uniquement. L’accès est tracé avec votre justification et le
          patient en sera informé.
        </p>
        <label>
          Justification (obligatoire)
          <textarea value={props.justification} onChange={(e) => props.onChange(e.target.value)} rows={3} maxLength={1000} required />
        </label>
        <div className="dmp-actions">
          <button type="submit" className="danger" disabled={props.busy || short}>
            Accéder en bris de glace
          </button>
          <button type="button" onClick={props.onCancel} disabled={props.busy}>
            Annuler
          </button>
        </div>
        {short && <p className="dmp-hint">Au moins {MIN_JUSTIFICATION} caractères.</p>}
        {props.error && (
          <p className="dmp-error" role="alert">
            {props.error}
          </p>
        )}
      </form>
    </Dialog>
  );
}
