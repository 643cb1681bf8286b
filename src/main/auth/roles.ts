import { ROLES, type Role } from '../../shared/bridge/roles';

/** The roles are declared once, in src/shared (the bridge contract and the authorisation matrix use them). */
export { ROLES, ROLE_LABELS, type Role } from '../../shared/bridge/roles';

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
  return role !== 'dpo' && role !== 'admin';
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
