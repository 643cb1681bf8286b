import { BridgeFailure } from '../../../shared/bridge/result';
import type { AuditPort } from '../../host/audit-port';
import type { HandlerSlice } from '../../host/handlers';
import type { DmpRuntime } from '../runtime';
import { guarded, INS_NOT_QUALIFIED, qualifiedIns, type DmpCallers } from './caller';

type AccessMethods = 'dmp.status' | 'dmp.consent' | 'dmp.refuse' | 'dmp.emergencyAccess';

/** Opening a patient's DMP: TD0.2 status, TD0.3 consent, the patient's refusal, emergency access. */
export function createDmpAccessHandlers(runtime: DmpRuntime, audit: AuditPort, { callerOf, denyUnqualified }: DmpCallers): Pick<HandlerSlice<'dmp'>, AccessMethods> {
  return {
    'dmp.status': (input, call) =>
      guarded(async () => {
        if (!qualifiedIns(call)) {
          await denyUnqualified(call, input, 'TD0.2');
          // The call claims a qualified identity main's index does not hold: said plainly, not shown as qualified.
          if (input.identity.status === 'QUAL') throw new BridgeFailure('DMP_INS_NOT_QUALIFIED', INS_NOT_QUALIFIED);
          return { insQualified: false as const, identityStatus: input.identity.status, environment: runtime.environment };
        }
        const caller = await callerOf(call, input, 'normal', 'TD0.2');
        const service = await runtime.service();
        const status = await service.checkStatus(caller);
        return {
          insQualified: true as const,
          exists: status.exists,
          authorization: status.authorization,
          oppositions: status.oppositions,
          access: service.currentAccess(caller) ?? null,
          regulation: runtime.regulation,
          environment: runtime.environment,
        };
      }),

    'dmp.consent': (input, call) =>
      guarded(async () => {
        const caller = await callerOf(call, input, 'normal', 'TD0.3');
        const service = await runtime.service();
        await service.addAuthorization(caller, { patientConsents: input.patientInformedAndConsents === true });
        const access = service.currentAccess(caller);
        if (!access) throw new BridgeFailure('DMP_CONSENT_REQUIRED', "L'autorisation n'a pas été enregistrée : réessayez.");
        return { access };
      }),

    'dmp.refuse': async (_input, { caller, patient }) => {
      const { seq } = await audit.record({
        type: 'dmp.consent.refused',
        action: 'E',
        outcome: 'success',
        agent: caller.agent,
        patient: patient.audit,
        entity: { type: 'Patient', id: patient.ref.id },
        purposeOfUse: { code: 'normal' },
        detail: { decision: 'refus_du_patient', documentsRead: 0 },
      });
      return { recorded: true as const, seq };
    },

    'dmp.emergencyAccess': (input, call) =>
      guarded(async () => {
        const caller = await callerOf(call, input, input.mode, input.mode === 'centre_15' ? 'CENTRE_15' : 'BRIS_DE_GLACE', input.justification);
        const service = await runtime.service();
        const status = await service.declareEmergencyAccess(caller);
        const access = service.currentAccess(caller);
        if (!access) throw new BridgeFailure('DMP_CONSENT_REQUIRED', "L'accès d'urgence n'a pas été ouvert : réessayez.");
        return { access, oppositions: status.oppositions };
      }),
  };
}
