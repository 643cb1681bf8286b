import { RECORD_ACCESS_EVENTS } from '../../shared/bridge/methods-record';
import type { PatientRef } from '../../shared/bridge/patient-ref';
import { BridgeFailure } from '../../shared/bridge/result';
import type { AuditPort, PurposeOfUse } from '../host/audit-port';
import type { CallContext, HandlerSlice } from '../host/handlers';
import { listImportFiles, readImportFile } from './import-files';
import { agentOf, type ClientSession, type SessionManager } from './sessions';

/**
 * The gate in front of the local record: the authorizer has already checked
 * role and unit scope; these handlers journal the access with the purpose of
 * use (normal care, or the local break-glass that made it possible).
 */
export function createRecordHandlers(sessions: SessionManager, audit: AuditPort, dataDir: string): HandlerSlice<'record'> {
  async function who(ctx: CallContext): Promise<ClientSession> {
    const s = await sessions.current(ctx.clientId);
    if (!s) throw new BridgeFailure('UNAUTHENTICATED', 'Veuillez vous identifier.');
    return s;
  }

  function purpose(session: ClientSession, patient: PatientRef): { via: 'unit' | 'break_glass'; purposeOfUse: PurposeOfUse } {
    const inUnit = patient.units.some((u) => session.user.units.includes(u));
    const g = sessions.breakGlassFor(session, patient.id);
    if (inUnit || !g) return { via: 'unit', purposeOfUse: { code: 'normal' } };
    return { via: 'break_glass', purposeOfUse: { code: 'bris_de_glace_local', reason: g.reason, justification: g.justification } };
  }

  const patientOf = (p: PatientRef) => ({ ipp: p.ipp, ...(p.ins ? { ins: p.ins } : {}) });

  async function open(type: string, patient: PatientRef, ctx: CallContext) {
    const session = await who(ctx);
    const { via, purposeOfUse } = purpose(session, patient);
    const { seq } = await audit.record({ type, action: 'R', outcome: 'success', agent: agentOf(session.user), patient: patientOf(patient), entity: { type: 'Patient', id: patient.id }, purposeOfUse });
    return { granted: true as const, via, seq };
  }

  return {
    'record.openChart': async ({ patient }, ctx) => open('chart.open', patient, ctx),
    'record.openIdentity': async ({ patient }, ctx) => open('identity.open', patient, ctx),
    'record.reportAccess': async ({ patient, event, entity }, ctx) => {
      const session = await who(ctx);
      const { purposeOfUse } = purpose(session, patient);
      const { seq } = await audit.record({
        type: event,
        action: RECORD_ACCESS_EVENTS[event].action,
        outcome: 'success',
        agent: agentOf(session.user),
        patient: patientOf(patient),
        entity: entity ?? { type: 'Patient', id: patient.id },
        purposeOfUse,
      });
      return { recorded: true as const, seq };
    },
    'record.importFiles': async () => listImportFiles(dataDir),
    'record.importFile': async ({ name }, ctx) => {
      const session = await who(ctx);
      const text = await readImportFile(dataDir, name);
      await audit.record({ type: 'record.import', action: 'C', outcome: 'success', agent: agentOf(session.user), entity: { type: 'Bundle', id: name } });
      return { name, text };
    },
    'record.reportSearch': async ({ query }, ctx) => {
      const session = await who(ctx);
      const { seq } = await audit.record({ type: 'record.search', action: 'E', outcome: 'success', agent: agentOf(session.user), detail: { query } });
      return { recorded: true as const, seq };
    },
  };
}
