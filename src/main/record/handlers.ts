import { RECORD_ACCESS_EVENTS, type recordWriteMethods } from '../../shared/bridge/methods-record';
import type { AuditPort } from '../host/audit-port';
import type { HandlerSlice, PatientCall } from '../host/handlers';
import { listImportFiles, readImportFile } from './import-files';

/**
 * The gate in front of the local record (its writes: ./writes.ts): the authorizer has already checked
 * role and unit scope and says on what grounds the patient may be seen; these
 * handlers journal the access with that purpose of use (normal care, or the
 * local break-glass that made it possible).
 */
export function createRecordHandlers(audit: AuditPort, dataDir: string): Omit<HandlerSlice<'record'>, keyof typeof recordWriteMethods> {
  async function open(type: string, { caller, patient }: PatientCall) {
    const { seq } = await audit.record({
      type,
      action: 'R',
      outcome: 'success',
      agent: caller.agent,
      patient: patient.audit,
      entity: { type: 'Patient', id: patient.ref.id },
      purposeOfUse: patient.purposeOfUse,
    });
    return { granted: true as const, via: patient.via, seq };
  }

  return {
    'record.openChart': async (_input, call) => open('chart.open', call),
    'record.openIdentity': async (_input, call) => open('identity.open', call),
    'record.reportAccess': async ({ event, entity }, { caller, patient }) => {
      const { seq } = await audit.record({
        type: event,
        action: RECORD_ACCESS_EVENTS[event].action,
        outcome: 'success',
        agent: caller.agent,
        patient: patient.audit,
        entity: entity ?? { type: 'Patient', id: patient.ref.id },
        purposeOfUse: patient.purposeOfUse,
      });
      return { recorded: true as const, seq };
    },
    'record.importFiles': async () => listImportFiles(dataDir),
    'record.importFile': async ({ name }, { caller }) => {
      const text = await readImportFile(dataDir, name);
      await audit.record({ type: 'record.import', action: 'C', outcome: 'success', agent: caller.agent, entity: { type: 'Bundle', id: name } });
      return { name, text };
    },
    'record.reportSearch': async ({ query }, { caller }) => {
      const { seq } = await audit.record({ type: 'record.search', action: 'E', outcome: 'success', agent: caller.agent, detail: { query } });
      return { recorded: true as const, seq };
    },
  };
}
