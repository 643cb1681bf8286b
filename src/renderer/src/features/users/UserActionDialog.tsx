import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { UserRowView } from '../../../../shared/bridge/methods-users';
import { ROLE_LABELS, ROLES, type Role } from '../../../../shared/bridge/roles';
import { base64ToBytesOrThrow } from '../../../../shared/text/base64';
import { api, unwrap } from '../../bridge';
import { downloadBlob } from '../audit';
import { Dialog } from '../ui';
import { usersKeys } from './keys';
import { UnitChoice, roleHasUnits } from './UnitChoice';

export type UserAction = 'assign' | 'password' | 'unlock' | 'issueCert' | 'revokeCert' | 'disable' | 'enable';

const TITLES: Record<UserAction, string> = {
  assign: 'Modifier le rôle et les unités',
  password: 'Réinitialiser le mot de passe',
  unlock: 'Débloquer le compte',
  issueCert: 'Délivrer un certificat personnel',
  revokeCert: 'Révoquer le certificat',
  disable: 'Désactiver le compte',
  enable: 'Réactiver le compte',
};

/** One administrative change on one account, confirmed in a dialog; main refuses and journals on its side. */
export function UserActionDialog({ user, action, units, onClose, onDone }: { user: UserRowView; action: UserAction; units: string[]; onClose: () => void; onDone: (message: string) => void }) {
  const titleId = useId();
  const qc = useQueryClient();
  const [role, setRole] = useState<Role>(user.role);
  const [chosen, setChosen] = useState<string[]>(user.units);
  const [rpps, setRpps] = useState(user.rpps ?? '');
  const [secret, setSecret] = useState('');
  const [again, setAgain] = useState('');
  const [localError, setLocalError] = useState<string | null>(null);

  const run = useMutation({
    mutationFn: async (): Promise<string> => {
      switch (action) {
        case 'assign':
          await unwrap(api.users.assign({ id: user.id, role, units: roleHasUnits(role) ? chosen : [], ...(rpps.trim() ? { rpps: rpps.trim() } : {}) }));
          return `Rôle et unités de ${user.displayName} modifiés.`;
        case 'password':
          await unwrap(api.users.resetPassword({ id: user.id, password: secret }));
          return `Mot de passe de ${user.displayName} réinitialisé : communiquez-le-lui de vive voix.`;
        case 'unlock':
          await unwrap(api.users.unlock({ id: user.id }));
          return `Compte de ${user.displayName} débloqué.`;
        case 'issueCert': {
          const r = await unwrap(api.users.issueCertificate({ id: user.id, pin: secret }));
          downloadBlob(base64ToBytesOrThrow(r.p12Base64), r.fileName, 'application/x-pkcs12');
          return `Certificat de ${user.displayName} délivré (${r.fileName}) : remettez le fichier et le code PIN séparément.`;
        }
        case 'revokeCert':
          await unwrap(api.users.revokeCertificate({ id: user.id }));
          return `Certificat de ${user.displayName} révoqué : il ne permet plus de se connecter.`;
        case 'disable':
          await unwrap(api.users.disable({ id: user.id }));
          return `Compte de ${user.displayName} désactivé.`;
        case 'enable':
          await unwrap(api.users.enable({ id: user.id }));
          return `Compte de ${user.displayName} réactivé.`;
      }
    },
    onSuccess: async (message) => {
      await qc.invalidateQueries({ queryKey: usersKeys.list });
      onDone(message);
    },
  });

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setLocalError(null);
    if ((action === 'password' || action === 'issueCert') && secret !== again) {
      return setLocalError(action === 'password' ? 'Les deux saisies du mot de passe diffèrent.' : 'Les deux saisies du code PIN diffèrent.');
    }
    if (action === 'assign' && roleHasUnits(role) && chosen.length === 0) return setLocalError('Choisissez au moins une unité de soins pour ce rôle.');
    run.mutate();
  };

  let body: ReactNode;
  if (action === 'assign') {
    body = (
      <>
        <label>
          Rôle
          <select value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        {roleHasUnits(role) ? <UnitChoice units={units} chosen={chosen} onChange={setChosen} /> : <p className="hint">Ce rôle n’a pas accès aux dossiers : aucune unité de soins.</p>}
        <label>
          RPPS (11 chiffres, obligatoire pour les médecins)
          <input value={rpps} onChange={(e) => setRpps(e.target.value)} inputMode="numeric" />
        </label>
      </>
    );
  } else if (action === 'password' || action === 'issueCert') {
    const what = action === 'password' ? 'Nouveau mot de passe' : 'Code PIN du certificat';
    body = (
      <>
        <label>
          {what} {action === 'password' ? '(12 caractères au moins)' : '(6 caractères au moins)'}
          <input type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="new-password" required />
        </label>
        <label>
          Confirmez le {action === 'password' ? 'mot de passe' : 'code PIN'}
          <input type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" required />
        </label>
      </>
    );
  }
  return (
    <Dialog labelledBy={titleId} onClose={onClose} testId="user-action-dialog" role="alertdialog">
      <form className="dialog-form" onSubmit={submit}>
        <h2 id={titleId}>
          {TITLES[action]} — {user.displayName}
        </h2>
        <p>{confirmText(action, user)}</p>
        {body}
        {(localError ?? (run.isError ? run.error.message : null)) && (
          <p className="form-error" role="alert">
            {localError ?? run.error?.message}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Annuler
          </button>
          <button type="submit" className={action === 'revokeCert' || action === 'disable' ? 'danger' : 'primary'} disabled={run.isPending}>
            Confirmer
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function confirmText(action: UserAction, u: UserRowView): string {
  switch (action) {
    case 'assign':
      return `Les droits de ${u.displayName} changent dès sa prochaine connexion : les dossiers accessibles dépendent du rôle et des unités.`;
    case 'password':
      return `L’ancien mot de passe de ${u.displayName} cessera de fonctionner ; le compte est aussi débloqué.`;
    case 'unlock':
      return `${u.displayName} pourra de nouveau se connecter sans attendre la fin du délai de verrouillage.`;
    case 'issueCert':
      return u.hasCertificate
        ? `Un nouveau certificat remplace l’actuel : l’ancien ne permettra plus de se connecter.`
        : `Un certificat personnel de TEST, protégé par un code PIN, sera délivré et enregistré pour ${u.displayName}.`;
    case 'revokeCert':
      return `Le certificat de ${u.displayName} ne permettra plus de se connecter, définitivement. Un nouveau certificat pourra être délivré ensuite.`;
    case 'disable':
      return `${u.displayName} ne pourra plus se connecter à ce poste jusqu’à sa réactivation.`;
    case 'enable':
      return `${u.displayName} pourra de nouveau se connecter à ce poste.`;
  }
}
