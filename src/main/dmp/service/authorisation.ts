import { DMP_ROLE_REFUSALS } from '../../../shared/authz/dmp-refusals';
import { DMP_EMERGENCY_ACCESS_ROLES, DMP_READER_ROLES, hasRole } from '../../../shared/authz/roles';
import { DmpError } from '../errors';
import type { AccessState } from './access-state';
import type { DmpCaller } from './caller';

/** Reading the DMP is a clinician's act: secretaries get their own refusal message. */
export function requireReader(caller: DmpCaller): void {
  if (caller.user.role === 'secretaire_medicale') {
    throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.secretaryReads);
  }
  if (!hasRole(DMP_READER_ROLES, caller.user.role)) {
    throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.reads);
  }
}

/** A reader with a grant open in this session, in the mode of the request, and no INTERDIT on record. */
export function requireGrant(access: AccessState, caller: DmpCaller): void {
  requireReader(caller);
  const status = access.status(caller.sessionId, caller.patient.ins);
  if (status?.authorization === 'INTERDIT') {
    throw new DmpError('DMP_AUTHORIZATION_FORBIDDEN', 'Le patient a interdit votre accès à son DMP : aucun accès n\'est possible, même en urgence.');
  }
  const grant = access.grant(caller.sessionId, caller.patient.ins);
  if (!grant) {
    throw new DmpError('DMP_CONSENT_REQUIRED', "Aucune autorisation d'accès au DMP de ce patient dans cette session : vérifiez l'autorisation, recueillez le consentement du patient ou déclarez un accès d'urgence.");
  }
  if (grant.mode !== caller.accessMode) {
    throw new DmpError('DMP_CONSENT_REQUIRED', `L'accès ouvert dans cette session est en mode « ${grant.mode} » : la requête doit être faite dans ce mode.`);
  }
}

/** Break-glass needs an emergency role and a written justification; centre 15 a regulation workstation. */
export function requireRegulationOrBreakGlass(caller: DmpCaller): void {
  if (caller.accessMode === 'bris_de_glace') {
    if (!hasRole(DMP_EMERGENCY_ACCESS_ROLES, caller.user.role)) throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.breakGlass);
    if (!caller.justification || caller.justification.trim().length < 10) {
      throw new DmpError('DMP_JUSTIFICATION_REQUIRED', "L'accès en mode bris de glace exige une justification (au moins 10 caractères) : urgence, patient hors d'état de consentir, risque immédiat.");
    }
  } else if (caller.accessMode === 'centre_15') {
    if (!caller.regulation || !hasRole(DMP_EMERGENCY_ACCESS_ROLES, caller.user.role)) {
      throw new DmpError('DMP_ROLE_FORBIDDEN', DMP_ROLE_REFUSALS.centre15);
    }
  } else {
    throw new DmpError('DMP_INVALID_INPUT', "Déclarer un accès d'urgence exige le mode bris de glace ou centre 15.");
  }
}
