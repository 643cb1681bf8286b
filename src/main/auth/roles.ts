import { hasRole, UNIT_BOUND_ROLES, type Role } from '../../shared/authz/roles';

/** The roles are declared once, in src/shared/authz (the contract, the matrix and this directory use them). */
export { isRole, ROLES, ROLE_LABELS, type Role } from '../../shared/authz/roles';

/** Whether the professional identifier (RPPS) is required, optional or absent for a role. */
export const RPPS_RULE: Readonly<Record<Role, 'required' | 'optional' | 'none'>> = {
  medecin: 'required',
  urgentiste: 'required',
  // Interns and nurses have been registered in the RPPS progressively: allowed, not required.
  interne: 'optional',
  infirmier: 'optional',
  secretaire_medicale: 'none',
  dpo: 'none',
  admin: 'none',
};

/** Clinical roles work inside care units; dpo and admin see no patient and have none. */
export function roleHasCareUnits(role: Role): boolean {
  return hasRole(UNIT_BOUND_ROLES, role);
}
