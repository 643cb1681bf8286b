/** Local break-glass: reasons offered in the dialog (the free text adds the detail). */
export const BREAK_GLASS_REASONS = {
  urgence_vitale: 'Urgence vitale',
  continuite_soins: 'Continuité des soins (patient transféré ou de passage)',
  avis_specialise: 'Avis spécialisé demandé',
  garde: 'Garde ou astreinte',
  autre: 'Autre motif (précisez)',
} as const;

export type BreakGlassReason = keyof typeof BREAK_GLASS_REASONS;

export const BREAK_GLASS_DURATION_MS = 4 * 60 * 60 * 1000;
