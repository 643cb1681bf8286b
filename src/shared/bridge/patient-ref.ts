import { z } from 'zod';

/**
 * How a bridge call names the patient it concerns: by id, nothing else. Main looks the patient
 * up in its own care index to decide unit scope and break-glass and to stamp IPP and INS in the
 * journal; anything else a call might add (units, IPP, INS) is refused by the strict schema.
 */
export const PatientRefSchema = z
  .object({
    id: z.string().min(1).max(100),
  })
  .strict();

export type PatientRef = z.infer<typeof PatientRefSchema>;
