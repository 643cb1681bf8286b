/** Roles of the people who use a ward workstation (issue: users and access control). */
export const ROLES = ['medecin', 'interne', 'secretaire_medicale', 'urgentiste', 'infirmier', 'dpo', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  medecin: 'Médecin',
  interne: 'Interne',
  secretaire_medicale: 'Secrétaire médicale',
  urgentiste: 'Médecin urgentiste',
  infirmier: 'Infirmier / infirmière',
  dpo: 'Délégué à la protection des données',
  admin: 'Administrateur',
};
