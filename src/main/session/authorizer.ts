import { judge, patientScopeFact } from '../../shared/authz/matrix';
import { contract, type MethodName } from '../../shared/bridge/contract';
import type { MethodSpec } from '../../shared/bridge/define';
import type { PatientRef } from '../../shared/bridge/patient-ref';
import { fail, ok } from '../../shared/bridge/result';
import type { CareIndex } from '../care/index';
import type { AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import type { Authorizer } from '../host/dispatch';
import type { AuthorisedCall, CallContext } from '../host/handlers';
import { createAnonymousCalls, type AnonymousCalls } from './anonymous-calls';
import { auditPatientOf, patientAccess, type Caller } from './context';
import { agentOf, type SessionManager } from './sessions';

export const UNKNOWN_PATIENT = 'Patient inconnu de ce poste : il n’a pas été reçu du serveur hospitalier. Synchronisez le poste ou recherchez-le à nouveau.';
export const OUT_OF_UNITS = 'Ce patient n’est pas suivi dans vos unités. En cas de nécessité, utilisez l’accès exceptionnel (bris de glace).';

export interface AuthorizerDeps {
  sessions: SessionManager;
  audit: AuditPort;
  /** Main's own index of patients and stays: the only source of unit scope, IPP and INS. */
  careIndex: CareIndex;
  clock: Clock;
  /** Calls without a session: counted per minute and rate-limited (anonymous-calls.ts). */
  anonymous?: AnonymousCalls;
}

/**
 * The authorisation matrix, enforced in main for every bridge call: a signed-in
 * unlocked session, a role the contract allows, and for patient-scoped methods a
 * patient main knows, in care in one of the caller's units per main's care index,
 * or under an open local break-glass for exactly that patient id. The call names the
 * patient by id only; every denial is journalled with what was attempted, the patient
 * named from the index. What it decided is handed to the handler.
 */
export function createAuthorizer({ sessions, audit, careIndex, clock, anonymous = createAnonymousCalls({ audit, now: Date.now }) }: AuthorizerDeps): Authorizer {
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
    const ref = spec.scope === 'patient' ? (input as { patient: PatientRef }).patient : null;
    const identity = ref ? careIndex.identity(ref.id) : null;
    const denied = (reason: string) =>
      audit.record({
        type: 'access.denied',
        action: 'E',
        outcome: 'denied',
        agent: caller.agent,
        ...(identity ? { patient: auditPatientOf(identity) } : {}),
        ...(ref ? { entity: { type: 'Patient', id: ref.id } } : {}),
        detail: { method, reason },
      });

    // The role first: a role never allowed is told so whether or not the patient exists.
    const byRole = judge(spec.access, caller.role, 'none', null);
    if (!byRole.allow) {
      await denied('role');
      const refusal = (spec as Pick<MethodSpec, 'roleRefusal'>).roleRefusal?.(caller.role, input);
      return refusal ? fail(refusal.code, refusal.message) : fail('FORBIDDEN', 'Votre rôle ne permet pas cette action.');
    }
    // Background polls do not keep the session alive: the idle lock still falls on an unattended screen.
    const touch = () => {
      if (!(spec as Pick<MethodSpec, 'passive'>).passive) sessions.touch(session);
    };
    if (!ref) {
      touch();
      return ok<AuthorisedCall>({ ...ctx, caller });
    }
    if (!identity) {
      await denied('unknown_patient');
      return fail('NOT_FOUND', UNKNOWN_PATIENT);
    }
    const grant = sessions.breakGlassFor(session, identity.id);
    const fact = patientScopeFact(careIndex.inCare(identity.id, session.user.units, clock.now()), !!grant);
    if (!judge(spec.access, caller.role, spec.scope, fact).allow) {
      await denied('scope');
      return fail('FORBIDDEN', OUT_OF_UNITS);
    }
    touch();
    return ok<AuthorisedCall>({ ...ctx, caller, patient: patientAccess(identity, fact === 'in_unit' ? 'unit' : 'break_glass', grant) });
  };
}
