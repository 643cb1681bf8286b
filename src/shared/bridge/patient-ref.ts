import { z } from 'zod';

/**
 * How a bridge call names the patient it concerns. Main decides on unit scope
 * and break-glass from it and stamps the audit entry with IPP and INS.
 * `ins` is given only for a qualified identity (DOMAIN.md §4).
 */
export const PatientRefSchema = z
  .object({
    id: z.string().min(1).max(100),
    ipp: z.string().min(1).max(40),
    /** "NIR@OID" (15-character NIR with its key, INS OID), as the journal and the DMP carry it. */
    ins: z
      .string()
      .regex(/^[0-9]{5}(?:[0-9]{2}|2[AB])[0-9]{8}@1\.2\.250\.1\.213\.1\.4\.(?:8|9|10|11)$/, 'INS attendu sous la forme NIR@OID.')
      .optional(),
    /** Care units of the patient's stays (current and past). */
    units: z.array(z.string().min(1).max(100)).max(50),
  })
  .strict();

export type PatientRef = z.infer<typeof PatientRefSchema>;
