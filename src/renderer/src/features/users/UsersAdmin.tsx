import { useMutation, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import type { UserRowView } from '../../../../shared/bridge/methods-users';
import { ROLE_LABELS, ROLES, type Role } from '../../../../shared/bridge/roles';
import { api, unwrap } from '../../bridge';
import { useSession } from '../session';
import { usersKeys } from './keys';
import { UnitChoice, roleHasUnits } from './UnitChoice';
import { UserActionDialog, type UserAction } from './UserActionDialog';
import './users.css';

const KNOWN_UNITS = ['Cardiologie', 'Chirurgie digestive', 'Urgences'];

/** The administrator's only screen: the user directory. No patient data is reachable from here. */
export function UsersAdmin() {
  const { status } = useSession();
  const titleId = useId();
  const users = useQuery({ queryKey: usersKeys.list, queryFn: () => unwrap(api.users.list({})) });
  const [pending, setPending] = useState<{ user: UserRowView; action: UserAction } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const units = [...new Set([...KNOWN_UNITS, ...(users.data ?? []).flatMap((u) => u.units)])].sort((a, b) => a.localeCompare(b, 'fr'));
  const act = (user: UserRowView, action: UserAction) => {
    setMessage(null);
    setPending({ user, action });
  };
  return (
    <section className="panel users-admin" aria-labelledby={titleId}>
      <h1 id={titleId}>Utilisateurs du poste</h1>
      {users.isError && <p className="form-error">{users.error.message}</p>}
      {message && (
        <p className="hint done" role="status" data-testid="admin-message">
          {message}
        </p>
      )}
      <table className="data-table">
        <thead>
          <tr>
            <th>Identifiant</th>
            <th>Nom</th>
            <th>Rôle</th>
            <th>Unités</th>
            <th>RPPS</th>
            <th>Certificat</th>
            <th>État</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.id} className={u.disabled ? 'muted' : ''} data-testid={`user-${u.id}`}>
              <td>
                <code>{u.id}</code>
              </td>
              <td>{u.displayName}</td>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>{u.units.join(', ') || '—'}</td>
              <td>{u.rpps ?? '—'}</td>
              <td>{u.hasCertificate ? 'Enregistré' : u.revokedCertificates ? 'Révoqué' : 'Aucun'}</td>
              <td>{u.disabled ? 'Désactivé' : u.locked ? 'Verrouillé (échecs de connexion)' : 'Actif'}</td>
              <td className="user-actions">
                <RowActions user={u} self={u.id === status?.user?.id} act={act} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddUserForm units={units} />
      {pending && (
        <UserActionDialog
          user={pending.user}
          action={pending.action}
          units={units}
          onClose={() => setPending(null)}
          onDone={(m) => {
            setPending(null);
            setMessage(m);
          }}
        />
      )}
    </section>
  );
}

function RowActions({ user: u, self, act }: { user: UserRowView; self: boolean; act: (u: UserRowView, a: UserAction) => void }) {
  const button = (action: UserAction, label: string) => (
    <button type="button" onClick={() => act(u, action)} aria-label={`${label} — ${u.displayName}`}>
      {label}
    </button>
  );
  return (
    <>
      {button('assign', 'Rôle et unités…')}
      {button('password', 'Mot de passe…')}
      {u.locked && button('unlock', 'Débloquer…')}
      {button('issueCert', u.hasCertificate ? 'Nouveau certificat…' : 'Délivrer un certificat…')}
      {u.hasCertificate && button('revokeCert', 'Révoquer le certificat…')}
      {!self && button(u.disabled ? 'enable' : 'disable', u.disabled ? 'Réactiver…' : 'Désactiver…')}
    </>
  );
}

function AddUserForm({ units }: { units: string[] }) {
  const titleId = useId();
  const [form, setForm] = useState({ id: '', displayName: '', role: 'medecin' as Role, rpps: '', password: '' });
  const [chosen, setChosen] = useState<string[]>([]);
  const [added, setAdded] = useState<string | null>(null);
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.users.add({
          id: form.id,
          displayName: form.displayName,
          role: form.role,
          units: roleHasUnits(form.role) ? chosen : [],
          password: form.password,
          ...(form.rpps ? { rpps: form.rpps } : {}),
        }),
      ),
    onSuccess: (u) => {
      setForm((f) => ({ ...f, id: '', displayName: '', rpps: '', password: '' }));
      setChosen([]);
      setAdded(`Utilisateur ${u.displayName} ajouté.`);
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    add.mutate();
  };
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  return (
    <form className="inline-form" onSubmit={submit} aria-labelledby={titleId}>
      <h2 id={titleId}>Ajouter un utilisateur</h2>
      <label>
        Identifiant
        <input value={form.id} onChange={set('id')} required />
      </label>
      <label>
        Nom affiché
        <input value={form.displayName} onChange={set('displayName')} required />
      </label>
      <label>
        Rôle
        <select value={form.role} onChange={set('role')}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ROLE_LABELS[r]}
            </option>
          ))}
        </select>
      </label>
      {roleHasUnits(form.role) && <UnitChoice units={units} chosen={chosen} onChange={setChosen} />}
      <label>
        RPPS
        <input value={form.rpps} onChange={set('rpps')} inputMode="numeric" />
      </label>
      <label>
        Mot de passe initial
        <input type="password" value={form.password} onChange={set('password')} autoComplete="new-password" required />
      </label>
      {add.isError && (
        <p className="form-error" role="alert">
          {add.error.message}
        </p>
      )}
      {added && (
        <p className="hint" role="status">
          {added}
        </p>
      )}
      <button type="submit" className="primary" disabled={add.isPending}>
        Ajouter
      </button>
    </form>
  );
}
