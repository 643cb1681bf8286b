/**
 * The roles and every set of roles, named for what they allow. The bridge contract, main's
 * authorizer and DMP service, and the renderer all read them here.
 */

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

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether a role belongs to a set (the sets are narrow tuples; roles arrive as plain strings). */
export function hasRole(set: readonly Role[], role: string | null | undefined): boolean {
  return !!role && (set as readonly string[]).includes(role);
}

/** Roles that care for patients and so see the clinical record of their units. */
export const CLINICAL_ROLES = ['medecin', 'interne', 'urgentiste', 'infirmier'] as const satisfies readonly Role[];

/** Roles bound to care units: clinicians and medical secretaries (dpo and admin see no patient). */
export const UNIT_BOUND_ROLES = [...CLINICAL_ROLES, 'secretaire_medicale'] as const satisfies readonly Role[];

/** Local break-glass: who may open a patient of the local record outside their units. */
export const LOCAL_BREAK_GLASS_ROLES = CLINICAL_ROLES;

/**
 * Who reads DMP content: the clinicians of the care team. Nurses are included: they are
 * health professionals the patient may authorise, and the DMP itself applies their
 * profession's access matrix (VIHF profession code 60) to what they can read.
 * Medical secretaries never read DMP clinical content (they only feed it).
 */
export const DMP_READER_ROLES = CLINICAL_ROLES;

/**
 * DMP emergency access (break-glass or centre 15): senior doctors and emergency doctors.
 * Interns act under a senior's delegation and nurses are not allowed emergency access by the
 * DMP rules. Not the local break-glass above, which every clinician may use.
 */
export const DMP_EMERGENCY_ACCESS_ROLES = ['medecin', 'urgentiste'] as const satisfies readonly Role[];

/** Who may change a DMP document's visibility (TD3.3a/b): doctors. */
export const DMP_VISIBILITY_ROLES = ['medecin', 'interne', 'urgentiste'] as const satisfies readonly Role[];

/** Who may send documents to the DMP: clinicians and the medical secretaries who feed it. */
export const DMP_SUBMITTER_ROLES = UNIT_BOUND_ROLES;
