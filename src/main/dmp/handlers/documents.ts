import { BridgeFailure } from '../../../shared/bridge/result';
import type { AuditPort, PurposeOfUse } from '../../host/audit-port';
import type { HandlerSlice } from '../../host/handlers';
import { DmpError } from '../errors';
import type { DmpRuntime } from '../runtime';
import type { DmpCaller } from '../service';
import { guarded, type DmpCallers } from './caller';
import { toEntryView, toRetrieved } from './views';

/** A CDA the worker could not read (too heavy, crashed) is refused like a mismatch: journalled, not integrated. */
const unreadable = (err: unknown): string => {
  if (err instanceof DmpError) return err.message;
  throw err;
};

type DocumentMethods = 'dmp.documents' | 'dmp.retrieve' | 'dmp.integrate' | 'dmp.setVisibility';

function purposeOf(caller: DmpCaller): PurposeOfUse {
  if (caller.accessMode === 'bris_de_glace') return { code: 'bris_de_glace', justification: caller.justification ?? '' };
  return caller.accessMode === 'centre_15' ? { code: 'centre_15' } : { code: 'normal' };
}

/** The patient's documents under the grant this session holds: list, read, copy into the record, visibility. */
export function createDmpDocumentHandlers(runtime: DmpRuntime, audit: AuditPort, { callerOf }: DmpCallers): Pick<HandlerSlice<'dmp'>, DocumentMethods> {
  return {
    'dmp.documents': (input, call) =>
      guarded(async () => {
        const caller = await callerOf(call, input, input.accessMode, 'ITI-18');
        const service = await runtime.service();
        const entries = await service.findDocuments(caller, { statuses: ['approved', 'deprecated', 'archived'] });
        return { entries: entries.map(toEntryView) };
      }),

    'dmp.retrieve': (input, call) =>
      guarded(async () => {
        const caller = await callerOf(call, input, input.accessMode, 'ITI-43');
        const service = await runtime.service();
        const doc = await service.retrieve(caller, { uniqueId: input.document.uniqueId, repositoryUniqueId: input.document.repositoryUniqueId });
        return toRetrieved(doc);
      }),

    'dmp.integrate': (input, call) =>
      guarded(async () => {
        const caller = await callerOf(call, input, input.accessMode, 'ITI-43');
        const service = await runtime.service();
        const view = toRetrieved(await service.retrieve(caller, { uniqueId: input.document.uniqueId, repositoryUniqueId: input.document.repositoryUniqueId }));
        const record = (outcome: 'success' | 'denied', detail: Record<string, string | number | boolean>) =>
          audit.record({
            type: 'dmp.integrate',
            action: 'C',
            outcome,
            agent: call.caller.agent,
            patient: call.patient.audit,
            entity: { type: 'DocumentReference', id: input.document.uniqueId },
            purposeOfUse: purposeOf(caller),
            detail,
          });
        // Parsed in the CDA worker: a hostile document's DOM never lands on the thread serving the renderer.
        const problem = view.encoding === 'text' ? await runtime.cda.patientMismatch(view.content, caller.patient.ins, input.identity).catch(unreadable) : 'Seuls les documents CDA peuvent être intégrés au dossier.';
        if (problem) {
          await record('denied', { reason: 'identity_check_failed', mimeType: view.mimeType });
          throw new BridgeFailure('DMP_PATIENT_MISMATCH', problem);
        }
        const { seq } = await record('success', { size: view.size, mimeType: view.mimeType, destination: 'dossier_local' });
        return { ...view, seq };
      }),

    'dmp.setVisibility': (input, call) =>
      guarded(async () => {
        const caller = await callerOf(call, input, input.accessMode, 'ITI-57');
        const service = await runtime.service();
        const update = {
          entryUUID: input.entryUUID,
          ...(input.maskedToProfessionals !== undefined ? { maskedToProfessionals: input.maskedToProfessionals } : {}),
          ...(input.invisibleToPatient !== undefined ? { invisibleToPatient: input.invisibleToPatient } : {}),
          ...(input.invisibleToLegalRepresentatives !== undefined ? { invisibleToLegalRepresentatives: input.invisibleToLegalRepresentatives } : {}),
        };
        const entry = await service.updateVisibility(caller, update);
        return { entry: toEntryView(entry) };
      }),
  };
}
