/**
 * The one door through which every service reports an access or security event.
 * The signed journal (src/main/audit) implements it; services never write the
 * journal directly. Main stamps who/where/when itself: callers describe *what*.
 * Field names follow FHIR R4 AuditEvent / IHE BALP (see DOMAIN.md §6).
 */

/** C/R/U/D/E as in FHIR AuditEvent.action. */
export type AuditAction = 'C' | 'R' | 'U' | 'D' | 'E';

/** FHIR AuditEvent.outcome, named. */
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditAgent {
  userId: string;
  name: string;
  role: string;
  /** RPPS for doctors, when known. */
  rpps?: string;
}

export interface AuditPatient {
  ipp?: string;
  /** Only for a qualified identity, in the form "NIR@OID". */
  ins?: string;
}

export type PurposeOfUse =
  | { code: 'normal' }
  | { code: 'bris_de_glace'; justification: string }
  | { code: 'centre_15' }
  | { code: 'bris_de_glace_local'; reason: string; justification: string };

export interface AuditEventInput {
  /** Dotted event type, e.g. "auth.login", "chart.open", "dmp.search", "journal.recovered". */
  type: string;
  action: AuditAction;
  outcome: AuditOutcome;
  /** Absent only for events without a signed-in user (failed login of an unknown id, startup). */
  agent?: AuditAgent;
  patient?: AuditPatient;
  /** The data touched: FHIR entity (resource type and id). */
  entity?: { type: string; id: string };
  purposeOfUse?: PurposeOfUse;
  /** Short, non-secret key/values (never a password, PIN or document content). */
  detail?: Record<string, string | number | boolean>;
}

export interface AuditPort {
  /** Resolves once the event is durable; `seq` is its position in the journal. */
  record(event: AuditEventInput): Promise<{ seq: number }>;
}

/** Keeps events in memory: for tests and for the moment before the journal opens. */
export function createMemoryAuditPort(): AuditPort & { events: (AuditEventInput & { seq: number })[] } {
  const events: (AuditEventInput & { seq: number })[] = [];
  return {
    events,
    async record(event) {
      const seq = events.length;
      events.push({ ...event, seq });
      return { seq };
    },
  };
}
