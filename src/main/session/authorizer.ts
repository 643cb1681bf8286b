import { judge, patientScopeFact } from '../../shared/authz/matrix';
import { contract, type MethodName } from '../../shared/bridge/contract';
import type { PatientRef } from '../../shared/bridge/patient-ref';
import { fail } from '../../shared/bridge/result';
import type { AuditPort } from '../host/audit-port';
import type { Authorizer } from '../host/dispatch';
import { agentOf, type SessionManager } from './sessions';

/**
 * The authorisation matrix, enforced in main for every bridge call: a signed-in
 * unlocked session, a role the contract allows, and for patient-scoped methods
 * a patient of the caller's units or an active local break-glass. Every denial
 * is journalled with what was attempted.
 */
export function createAuthorizer(sessions: SessionManager, audit: AuditPort): Authorizer {
  return async (method: MethodName, input: unknown, ctx) => {
    const spec = contract[method];
    if (spec.access === 'public') return null;
    const session = await sessions.current(ctx.clientId);
    if (!session) {
      await audit.record({ type: 'access.denied', action: 'E', outcome: 'denied', detail: { method, reason: 'unauthenticated' } });
      return fail('UNAUTHENTICATED', 'Veuillez vous identifier.');
    }
    if (session.locked) {
      await audit.record({ type: 'access.denied', action: 'E', outcome: 'denied', agent: agentOf(session.user), detail: { method, reason: 'locked' } });
      return fail('LOCKED', 'Session verrouillée : déverrouillez-la pour continuer.');
    }
    const patient = spec.scope === 'patient' ? (input as { patient: PatientRef }).patient : null;
    const fact = patient ? patientScopeFact(session.user.units, patient.units, !!sessions.breakGlassFor(session, patient.id)) : null;
    const decision = judge(spec.access, session.user.role, spec.scope, fact);
    if (!decision.allow) {
      await audit.record({
        type: 'access.denied',
        action: 'E',
        outcome: 'denied',
        agent: agentOf(session.user),
        ...(patient ? { patient: { ipp: patient.ipp, ...(patient.ins ? { ins: patient.ins } : {}) }, entity: { type: 'Patient', id: patient.id } } : {}),
        detail: { method, reason: decision.reason },
      });
      return decision.reason === 'role'
        ? fail('FORBIDDEN', 'Votre rôle ne permet pas cette action.')
        : fail('FORBIDDEN', 'Ce patient n’est pas suivi dans vos unités. En cas de nécessité, utilisez l’accès exceptionnel (bris de glace).');
    }
    sessions.touch(session);
    return null;
  };
}
