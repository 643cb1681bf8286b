import { UNIT_BOUND_ROLES } from '../../../../shared/authz/roles';
import { AuditWorkspace } from '../audit';
import { useSession } from '../session';
import { UsersAdmin } from '../users';
import { PatientsWorkspace } from './PatientsWorkspace';

/** What a signed-in user sees first depends on their role: care, audit or administration. */
export function Workspace() {
  const { status } = useSession();
  const role = status?.user?.role;
  if (!role) return null;
  if (role === 'admin') return <UsersAdmin />;
  if (role === 'dpo') return <AuditWorkspace />;
  if ((UNIT_BOUND_ROLES as readonly string[]).includes(role)) return <PatientsWorkspace role={role} />;
  return <p className="form-error">Rôle sans espace de travail : {role}</p>;
}
