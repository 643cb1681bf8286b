import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { ROLE_LABELS, ROLES, type Role } from '../../../../shared/bridge/roles';
import { api, unwrap } from '../../bridge';
import { useSession } from '../session';
import { usersKeys } from './keys';

const UNITS = ['Cardiologie', 'Chirurgie digestive', 'Urgences'];

/** The administrator's only screen: the user directory. No patient data is reachable from here. */
export function UsersAdmin() {
  const qc = useQueryClient();
  const { status } = useSession();
  const titleId = useId();
  const users = useQuery({ queryKey: usersKeys.list, queryFn: () => unwrap(api.users.list({})) });
  const toggle = useMutation({
    mutationFn: (u: { id: string; disabled: boolean }) => unwrap(u.disabled ? api.users.enable({ id: u.id }) : api.users.disable({ id: u.id })),
    onSuccess: () => qc.invalidateQueries({ queryKey: usersKeys.list }),
  });
  return (
    <section className="panel" aria-labelledby={titleId}>
      <h1 id={titleId}>Utilisateurs du poste</h1>
      {users.isError && <p className="form-error">{users.error.message}</p>}
      {toggle.isError && <p className="form-error">{toggle.error.message}</p>}
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
            <th />
          </tr>
        </thead>
        <tbody>
          {users.data?.map((u) => (
            <tr key={u.id} className={u.disabled ? 'muted' : ''}>
              <td>
                <code>{u.id}</code>
              </td>
              <td>{u.displayName}</td>
              <td>{ROLE_LABELS[u.role]}</td>
              <td>{u.units.join(', ') || '—'}</td>
              <td>{u.rpps ?? '—'}</td>
              <td>{u.hasCertificate ? 'Oui' : 'Non'}</td>
              <td>{u.disabled ? 'Désactivé' : 'Actif'}</td>
              <td>
                {u.id !== status?.user?.id && (
                  <button type="button" onClick={() => toggle.mutate(u)}>
                    {u.disabled ? 'Réactiver' : 'Désactiver'}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <AddUserForm onAdded={() => void qc.invalidateQueries({ queryKey: usersKeys.list })} />
    </section>
  );
}

function AddUserForm({ onAdded }: { onAdded: () => void }) {
  const titleId = useId();
  const [form, setForm] = useState({ id: '', displayName: '', role: 'medecin' as Role, unit: UNITS[0]!, rpps: '', password: '' });
  const add = useMutation({
    mutationFn: () =>
      unwrap(
        api.users.add({
          id: form.id,
          displayName: form.displayName,
          role: form.role,
          units: form.role === 'dpo' || form.role === 'admin' ? [] : [form.unit],
          password: form.password,
          ...(form.rpps ? { rpps: form.rpps } : {}),
        }),
      ),
    onSuccess: () => {
      setForm((f) => ({ ...f, id: '', displayName: '', rpps: '', password: '' }));
      onAdded();
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
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
      <label>
        Unité
        <select value={form.unit} onChange={set('unit')}>
          {UNITS.map((u) => (
            <option key={u}>{u}</option>
          ))}
        </select>
      </label>
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
      <button type="submit" className="primary" disabled={add.isPending}>
        Ajouter
      </button>
    </form>
  );
}
