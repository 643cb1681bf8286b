import { judge, patientScopeFact } from '../../shared/authz/matrix';
import { contract, type MethodName } from '../../shared/bridge/contract';
import type { MethodSpec } from '../../shared/bridge/define';
import type { PatientRef } from '../../shared/bridge/patient-ref';
import { fail, ok } from '../../shared/bridge/result';
import type { AuditPort } from '../host/audit-port';
import type { Authorizer } from '../host/dispatch';
import type { AuthorisedCall, CallContext } from '../host/handlers';
import { createAnonymousCalls, type AnonymousCalls } from './anonymous-calls';
import { auditPatientOf, patientAccess, type Caller } from './context';
import { agentOf, type SessionManager } from './sessions';

/**
 * The authorisation matrix, enforced in main for every bridge call: a signed-in
 * unlocked session, a role the contract allows, and for patient-scoped methods
 * a patient of the caller's units or an active local break-glass. Every denial
 * is journalled with what was attempted. What it decided (caller, patient
 * grounds) is handed to the handler, so no handler looks the session up again.
 */
export function createAuthorizer(sessions: SessionManager, audit: AuditPort, anonymous: AnonymousCalls = createAnonymousCalls({ audit, now: Date.now })): Authorizer {
  return async (method: MethodName, input: unknown, ctx: CallContext) => {
    const spec = contract[method];
    if (spec.access === 'public') return ok<AuthorisedCall>(ctx);
    const session = await sessions.current(ctx.clientId);
    // Counted per minute and rate-limited, not journalled one by one (see anonymous-calls.ts).
    if (!session) return anonymous.refuse(ctx.clientId, method);
    const caller: Caller = { session, user: session.user, role: session.user.role, agent: agentOf(session.user) };
    if (session.locked) {
      await audit.record({ type: 'access.denied', action: 'E', outcome: 'denied', agent: caller.agent, detail: { method, reason: 'locked' } });
      return fail('LOCKED', 'Session verrouillée : déverrouillez-la pour continuer.');
    }
    const patient = spec.scope === 'patient' ? (input as { patient: PatientRef }).patient : null;
    const grant = patient ? sessions.breakGlassFor(session, patient.id) : null;
    const fact = patient ? patientScopeFact(session.user.units, patient.units, !!grant) : null;
    const decision = judge(spec.access, caller.role, spec.scope, fact);
    if (!decision.allow) {
      await audit.record({
        type: 'access.denied',
        action: 'E',
        outcome: 'denied',
        agent: caller.agent,
        ...(patient ? { patient: auditPatientOf(patient), entity: { type: 'Patient', id: patient.id } } : {}),
        detail: { method, reason: decision.reason },
      });
      if (decision.reason === 'scope') {
        return fail('FORBIDDEN', 'Ce patient n’est pas suivi dans vos unités. En cas de nécessité, utilisez l’accès exceptionnel (bris de glace).');
      }
      // The contract's own refusal (e.g. why a secretary does not read the DMP), else the generic one.
      const refusal = (spec as Pick<MethodSpec, 'roleRefusal'>).roleRefusal?.(caller.role, input);
      return refusal ? fail(refusal.code, refusal.message) : fail('FORBIDDEN', 'Votre rôle ne permet pas cette action.');
    }
    // Background polls do not keep the session alive: the idle lock still falls on an unattended screen.
    if (!(spec as Pick<MethodSpec, 'passive'>).passive) sessions.touch(session);
    if (!patient) return ok<AuthorisedCall>({ ...ctx, caller });
    return ok<AuthorisedCall>({ ...ctx, caller, patient: patientAccess(patient, fact === 'in_unit' ? 'unit' : 'break_glass', grant) });
  };
}
