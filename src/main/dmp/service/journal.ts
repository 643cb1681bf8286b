import type { AuditEventInput, AuditPort, PurposeOfUse } from '../../host/audit-port';
import type { InsOid } from '../../../shared/ins/oids';
import { DmpError, isDmpError } from '../errors';
import type { AccessState } from './access-state';
import { validateCaller, type DmpCaller } from './caller';

export type JournalDetail = Record<string, string | number | boolean>;
export type JournalEntity = { type: string; id: string };

/** One DMP operation as the journal sees it. */
export interface JournalledCall<T> {
  type: string;
  action: AuditEventInput['action'];
  operation: string;
  check: () => void;
  exec: () => Promise<T>;
  describe?: (v: T) => JournalDetail;
  entity?: JournalEntity;
}

export interface DmpJournalDeps {
  audit: AuditPort;
  /** OID of the INS the configured DMP accepts: the journal names the patient by it. */
  insOid: InsOid;
  access: AccessState;
}

/** Runs one operation: checks, gateway call, one journal record whatever the outcome. */
export type RunJournalled = <T>(caller: DmpCaller, call: JournalledCall<T>) => Promise<T>;

// A refusal by the DMP (or by the patient) is journalled as denied; anything else that breaks as a failure.
const DENIED_CODES = new Set(['DMP_ACCESS_DENIED', 'DMP_PATIENT_OPPOSED', 'DMP_NOT_AUTHOR']);

export function createDmpJournal(deps: DmpJournalDeps): RunJournalled {
  const { audit, access } = deps;

  function purpose(caller: DmpCaller): PurposeOfUse {
    if (caller.accessMode === 'bris_de_glace') {
      // Calls after the declaration carry the justification given when break-glass was declared.
      const declared = access.grant(caller.sessionId, caller.patient.ins)?.justification;
      return { code: 'bris_de_glace', justification: caller.justification || declared || 'non précisée' };
    }
    if (caller.accessMode === 'centre_15') return { code: 'centre_15' };
    return { code: 'normal' };
  }

  async function record(caller: DmpCaller, call: JournalledCall<unknown>, outcome: AuditEventInput['outcome'], detail: JournalDetail): Promise<void> {
    const { type, action, entity } = call;
    await audit.record({
      type,
      action,
      outcome,
      agent: { userId: caller.user.id, name: caller.user.name, role: caller.user.role, ...(caller.user.rpps ? { rpps: caller.user.rpps } : {}) },
      patient: { ins: `${caller.patient.ins}@${deps.insOid}`, ...(caller.patient.ipp ? { ipp: caller.patient.ipp } : {}) },
      purposeOfUse: purpose(caller),
      ...(entity ? { entity } : {}),
      detail,
    });
  }

  return async <T>(caller: DmpCaller, call: JournalledCall<T>): Promise<T> => {
    const { operation } = call;
    const entry = call as JournalledCall<unknown>;
    try {
      validateCaller(caller);
      call.check();
    } catch (e) {
      const err = isDmpError(e) ? e : new DmpError('DMP_INVALID_INPUT', 'Requête DMP invalide.');
      await record(caller, entry, 'denied', { operation, errorCode: err.code });
      throw err;
    }
    let value: T;
    try {
      value = await call.exec();
    } catch (e) {
      const code = isDmpError(e) ? e.code : 'UNEXPECTED';
      await record(caller, entry, DENIED_CODES.has(code) ? 'denied' : 'failure', { operation, errorCode: code });
      throw e;
    }
    await record(caller, entry, 'success', { operation, ...(call.describe ?? (() => ({})))(value) });
    return value;
  };
}
