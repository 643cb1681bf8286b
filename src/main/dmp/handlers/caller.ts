import type { DmpIdentity } from '../../../shared/bridge/methods-dmp';
import { BridgeFailure } from '../../../shared/bridge/result';
import type { AuditPort } from '../../host/audit-port';
import type { PatientCall } from '../../host/handlers';
import { isDmpError } from '../errors';
import { NO_DMP_CONFIGURED, type DmpRuntime } from '../runtime';
import type { DmpCaller } from '../service';
import { INS_OID } from '../../../shared/ins/oids';
import type { AccessMode } from '../types';

export const INS_NOT_QUALIFIED =
  'L’identité de ce patient n’est pas qualifiée sur ce poste : son INS ne peut pas être utilisé pour accéder au DMP. Faites qualifier l’identité (pièce d’identité contrôlée et INS vérifié par le téléservice INSi), puis réessayez.';

export interface DmpPatientInput {
  /** The identity status and strict traits the panel shows; the INS itself comes from main's care index. */
  identity: DmpIdentity;
}

/**
 * The INS used towards the DMP: main's care index holds one only for a qualified identity
 * (DOMAIN.md §4); whatever status the call claims, no INS there means no DMP access.
 */
export function qualifiedIns(call: PatientCall): string | null {
  return call.patient.identity.ins ?? null;
}

/**
 * Turns an authorised bridge call into the consent service's DmpCaller: the session's
 * grant key, the user, the patient's NIR — after refusing (and journalling) an identity
 * that is not qualified or an INS this DMP does not accept.
 */
export function createDmpCallers(runtime: DmpRuntime, audit: AuditPort) {
  async function denyUnqualified(call: PatientCall, input: DmpPatientInput, operation: string): Promise<void> {
    await audit.record({
      type: 'dmp.access',
      action: 'E',
      outcome: 'denied',
      agent: call.caller.agent,
      patient: call.patient.audit,
      entity: { type: 'Patient', id: call.patient.ref.id },
      detail: { operation, reason: 'ins_not_qualified', identityStatus: input.identity.status },
    });
  }

  /** The NIR of a "NIR@OID" INS, if its OID is the one this DMP accepts. */
  function nirOf(ins: string): string {
    const [nir, oid] = ins.split('@') as [string, string];
    if (oid === runtime.insOid) return nir;
    throw new BridgeFailure(
      'DMP_INS_OID_REFUSED',
      runtime.insOid === INS_OID.TEST_NIR
        ? `Ce DMP de test n’accepte que des INS de test (OID ${INS_OID.TEST_NIR}) : cet INS ne peut pas y être utilisé.`
        : `Ce DMP n’accepte que les INS d’OID ${runtime.insOid} : cet INS (OID ${oid}) ne peut pas y être utilisé.`,
    );
  }

  async function callerOf(call: PatientCall, input: DmpPatientInput, accessMode: AccessMode, operation: string, justification?: string): Promise<DmpCaller> {
    const ins = qualifiedIns(call);
    if (!ins) {
      await denyUnqualified(call, input, operation);
      throw new BridgeFailure('DMP_INS_NOT_QUALIFIED', INS_NOT_QUALIFIED);
    }
    if (!runtime.configured) throw new BridgeFailure('DMP_CONFIG_INVALID', NO_DMP_CONFIGURED);
    const { user, session } = call.caller;
    return {
      sessionId: runtime.sessionKey(call.clientId, session.startedAt),
      user: { id: user.id, name: user.displayName, role: user.role, ...(user.rpps ? { rpps: user.rpps } : {}) },
      patient: { ins: nirOf(ins), ipp: call.patient.identity.ipp },
      accessMode,
      ...(justification ? { justification } : {}),
      regulation: runtime.regulation,
    };
  }

  return { callerOf, denyUnqualified };
}

export type DmpCallers = ReturnType<typeof createDmpCallers>;

/** DMP refusals and failures become typed bridge errors carrying the service's French message. */
export async function guarded<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (isDmpError(err)) throw new BridgeFailure(err.code, err.message);
    throw err;
  }
}
