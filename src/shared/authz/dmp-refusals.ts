import type { Refusal } from '../bridge/define';
import type { Role } from '../bridge/roles';

/**
 * What a professional is told when their role keeps them from a DMP operation: said once,
 * used by the authorizer (from the contract) and by the DMP consent service in main.
 */
export const DMP_ROLE_REFUSALS = {
  secretaryReads: 'Les secrétaires médicales ne consultent pas le contenu du DMP : cette action est réservée aux professionnels de santé.',
  reads: "Votre rôle ne permet pas d'accéder au contenu du DMP.",
  breakGlass: "Votre rôle ne permet pas l'accès en mode bris de glace (réservé aux médecins).",
  centre15: "L'accès en mode centre 15 est réservé aux médecins régulateurs du SAMU.",
  visibility: 'Votre rôle ne permet pas de modifier la visibilité des documents du DMP (réservé aux médecins et internes).',
  submits: "Votre rôle ne permet pas d'envoyer des documents au DMP.",
} as const;

const refusal = (message: string): Refusal => ({ code: 'DMP_ROLE_FORBIDDEN', message });

/** A role that may not read DMP content. */
export const dmpReadRefusal = (role: Role): Refusal =>
  refusal(role === 'secretaire_medicale' ? DMP_ROLE_REFUSALS.secretaryReads : DMP_ROLE_REFUSALS.reads);

/** A role that may not declare emergency access, for the mode it asked. */
export const dmpEmergencyRefusal = (role: Role, input: { mode: 'bris_de_glace' | 'centre_15' }): Refusal =>
  role === 'secretaire_medicale' ? dmpReadRefusal(role) : refusal(input.mode === 'centre_15' ? DMP_ROLE_REFUSALS.centre15 : DMP_ROLE_REFUSALS.breakGlass);

export const dmpVisibilityRefusal = (role: Role): Refusal =>
  role === 'secretaire_medicale' ? dmpReadRefusal(role) : refusal(DMP_ROLE_REFUSALS.visibility);
