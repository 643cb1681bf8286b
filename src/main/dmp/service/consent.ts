import { DmpError } from '../errors';
import type { DmpGateway, DmpStatus } from '../types';
import type { AccessState } from './access-state';
import { requireReader, requireRegulationOrBreakGlass } from './authorisation';
import { requestContext, type DmpCaller } from './caller';
import type { RunJournalled } from './journal';

export interface ConsentDeps {
  gateway: DmpGateway;
  access: AccessState;
  run: RunJournalled;
  clock: () => Date;
}

export interface ConsentOperations {
  checkStatus(caller: DmpCaller): Promise<DmpStatus>;
  addAuthorization(caller: DmpCaller, confirmation: { patientConsents: boolean }): Promise<void>;
  declareEmergencyAccess(caller: DmpCaller): Promise<DmpStatus>;
}

const INTERDIT_EVEN_IN_EMERGENCY = 'Le patient a interdit votre accès à son DMP : aucun accès n\'est possible, même en urgence.';

/** Opening access to a patient's DMP: TD0.2 status, TD0.3 consent, break-glass and centre 15. */
export function createConsentOperations(deps: ConsentDeps): ConsentOperations {
  const { gateway, access, run, clock } = deps;

  return {
    checkStatus(caller) {
      return run(caller, {
        type: 'dmp.td02',
        action: 'R',
        operation: 'TD0.2',
        check: () => requireReader(caller),
        exec: async () => {
          const { sessionId } = caller;
          const { ins } = caller.patient;
          const status = await gateway.getStatus({ ...requestContext(caller), accessMode: 'normal' });
          access.setStatus(sessionId, ins, status);
          // A VALIDE status opens normal access; anything else closes a normal grant, INTERDIT closes any grant.
          if (status.authorization === 'VALIDE') access.setGrant(sessionId, ins, { mode: 'normal', source: 'td02_valide', at: clock().toISOString() });
          else if (access.grant(sessionId, ins)?.mode === 'normal') access.dropGrant(sessionId, ins);
          if (status.authorization === 'INTERDIT') access.dropGrant(sessionId, ins);
          return status;
        },
        describe: (s) => ({ exists: s.exists, authorization: s.authorization }),
      });
    },

    addAuthorization(caller, confirmation) {
      return run(caller, {
        type: 'dmp.td03',
        action: 'C',
        operation: 'TD0.3',
        check: () => {
          requireReader(caller);
          if (caller.accessMode !== 'normal') throw new DmpError('DMP_INVALID_INPUT', "L'autorisation d'accès s'ajoute en mode d'accès normal.");
          // Never added on the software's own initiative: only after the user confirmed consent.
          if (confirmation?.patientConsents !== true) {
            throw new DmpError('DMP_EXPLICIT_CONSENT_REQUIRED', "L'ajout de l'autorisation exige que vous confirmiez le consentement du patient.");
          }
          const status = access.status(caller.sessionId, caller.patient.ins);
          if (status?.authorization === 'INTERDIT') throw new DmpError('DMP_AUTHORIZATION_FORBIDDEN', 'Le patient a interdit votre accès à son DMP : l\'autorisation ne peut pas être ajoutée.');
          if (status && !status.exists) throw new DmpError('DMP_NO_DMP', "Ce patient n'a pas de DMP : aucune autorisation ne peut être ajoutée.");
        },
        exec: async () => {
          await gateway.addAuthorization(requestContext(caller));
          access.setGrant(caller.sessionId, caller.patient.ins, { mode: 'normal', source: 'td03_added', at: clock().toISOString() });
        },
      });
    },

    declareEmergencyAccess(caller) {
      const centre15 = caller.accessMode === 'centre_15';
      return run(caller, {
        type: centre15 ? 'dmp.centre15' : 'dmp.breakglass',
        action: 'E',
        operation: centre15 ? 'CENTRE_15' : 'BRIS_DE_GLACE',
        check: () => requireRegulationOrBreakGlass(caller),
        exec: async () => {
          const status = await gateway.getStatus(requestContext(caller));
          access.setStatus(caller.sessionId, caller.patient.ins, status);
          if (!status.exists) throw new DmpError('DMP_NO_DMP', "Ce patient n'a pas de DMP.");
          if (status.authorization === 'INTERDIT') throw new DmpError('DMP_AUTHORIZATION_FORBIDDEN', INTERDIT_EVEN_IN_EMERGENCY);
          if (caller.accessMode === 'bris_de_glace' && status.oppositions.brisDeGlace) throw new DmpError('DMP_PATIENT_OPPOSED', "Le patient s'est opposé à l'accès en mode bris de glace à son DMP.");
          if (caller.accessMode === 'centre_15' && status.oppositions.centre15) throw new DmpError('DMP_PATIENT_OPPOSED', "Le patient s'est opposé à l'accès par le centre 15 à son DMP.");
          access.setGrant(caller.sessionId, caller.patient.ins, {
            mode: caller.accessMode,
            source: caller.accessMode === 'centre_15' ? 'centre_15' : 'bris_de_glace',
            ...(caller.justification ? { justification: caller.justification } : {}),
            at: clock().toISOString(),
          });
          return status;
        },
        describe: () => ({ emergencyOverrideStarted: true, dicomCode: '110127' }),
      });
    },
  };
}
