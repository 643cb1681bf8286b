/**
 * The roles of the workstation (issue 3). Kept here until the authorisation
 * matrix in src/shared takes the type over; ids are stable (stored in users.json).
 */
export const ROLES = ['medecin', 'interne', 'secretaire_medicale', 'urgentiste', 'infirmier', 'dpo', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  medecin: 'Médecin',
  interne: 'Interne',
  secretaire_medicale: 'Secrétaire médicale',
  urgentiste: 'Médecin urgentiste',
  infirmier: 'Infirmier / infirmière',
  dpo: 'Délégué à la protection des données',
  admin: 'Administrateur',
};

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
