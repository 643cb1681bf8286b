import type { PatientRef } from '../../shared/bridge/patient-ref';
import type { PatientIdentity } from '../care/index';
import type { Role } from '../../shared/bridge/roles';
import type { User } from '../auth/user-directory';
import type { AuditAgent, AuditPatient, PurposeOfUse } from '../host/audit-port';
import type { BreakGlassGrant, ClientSession } from './sessions';

/** Who the authorizer let through: a signed-in, unlocked session and its user. */
export interface Caller {
  session: ClientSession;
  user: User;
  role: Role;
  /** How the journal names this user. */
  agent: AuditAgent;
}

/**
 * Why the caller may see this patient, as the authorizer decided it from main's care index:
 * the patient is in care in one of the caller's units, or a local break-glass access is open for them.
 */
export interface PatientAccess {
  ref: PatientRef;
  /** The patient as main's care index knows them (IPP, INS only for a qualified identity). */
  identity: PatientIdentity;
  via: 'unit' | 'break_glass';
  /** The open local break-glass, when it is what made the access possible. */
  breakGlass?: BreakGlassGrant;
  /** The purpose of use journalled with every access under this decision. */
  purposeOfUse: PurposeOfUse;
  /** How the journal names the patient (IPP, and INS for a qualified identity). */
  audit: AuditPatient;
}

/** How the journal names a patient: always from main's care index, never from the call. */
export function auditPatientOf(p: PatientIdentity): AuditPatient {
  return { ipp: p.ipp, ...(p.ins ? { ins: p.ins } : {}) };
}

export function patientAccess(identity: PatientIdentity, via: 'unit' | 'break_glass', grant: BreakGlassGrant | null): PatientAccess {
  const base = { ref: { id: identity.id }, identity, audit: auditPatientOf(identity) };
  if (via === 'unit' || !grant) return { ...base, via: 'unit', purposeOfUse: { code: 'normal' } };
  return {
    ...base,
    via: 'break_glass',
    breakGlass: grant,
    purposeOfUse: { code: 'bris_de_glace_local', reason: grant.reason, justification: grant.justification },
  };
}
