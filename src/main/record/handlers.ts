import { RECORD_ACCESS_EVENTS, type recordWriteMethods } from '../../shared/bridge/methods-record';
import { BridgeFailure } from '../../shared/bridge/result';
import type { CareIndex } from '../care/index';
import type { AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import type { HandlerSlice, PatientCall } from '../host/handlers';
import { indexFhirEntries, resourcesOfText } from './care-feed';
import { createDemoImport, demoDmpPatientResources } from './demo-import';
import { listImportFiles, readImportFile } from './import-files';

export interface RecordHandlerDeps {
  audit: AuditPort;
  dataDir: string;
  /** Fed here with what main itself reads or generates (until the sync engine feeds it). */
  careIndex: CareIndex;
  clock: Clock;
}

/**
 * The gate in front of the local record (its writes: ./writes.ts): the authorizer has already checked
 * role and unit scope and says on what grounds the patient may be seen; these
 * handlers journal the access with that purpose of use (normal care, or the
 * local break-glass that made it possible).
 */
export function createRecordHandlers({ audit, dataDir, careIndex, clock }: RecordHandlerDeps): Omit<HandlerSlice<'record'>, keyof typeof recordWriteMethods> {
  const demoLot = createDemoImport(careIndex, () => clock.now());

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
    // Main read the file itself: its patients and stays enter the care index before the renderer imports it.
    'record.importFile': async ({ name }, { caller }) => {
      const text = await readImportFile(dataDir, name);
      const indexed = indexFhirEntries(careIndex, resourcesOfText(text), clock.now());
      await audit.record({ type: 'record.import', action: 'C', outcome: 'success', agent: caller.agent, entity: { type: 'Bundle', id: name }, detail: { ...indexed } });
      return { name, text };
    },
    'record.importDemo': async ({ total, first }, { clientId, caller }) => {
      const lot = demoLot(clientId, total, first);
      if (first !== 0) return lot;
      await audit.record({ type: 'record.import', action: 'C', outcome: 'success', agent: caller.agent, entity: { type: 'Bundle', id: 'demonstration' }, detail: { patients: total } });
      const resources = demoDmpPatientResources(clock.now());
      indexFhirEntries(careIndex, resources.map((resource) => ({ resource })), clock.now());
      return { ...lot, dmpPatients: JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) }) };
    },
    'record.registerPatient': async ({ created, unit, provisional }, { caller }) => {
      // Only a brand-new id and IPP, in one of the caller's own units: a registration never reaches an existing patient.
      if (!caller.user.units.includes(unit)) throw new BridgeFailure('FORBIDDEN', `Vous ne pouvez créer un patient que dans vos unités (${caller.user.units.join(', ') || 'aucune'}).`);
      if (careIndex.identity(created.id)) throw new BridgeFailure('CONFLICT', 'Ce patient est déjà connu du poste.');
      if (careIndex.idByIpp(created.ipp)) throw new BridgeFailure('CONFLICT', `IPP ${created.ipp} : déjà attribué à un autre patient du poste.`);
      const now = clock.now();
      careIndex.putPatient({ id: created.id, ipp: created.ipp });
      careIndex.putEncounter({ id: `local-${created.id}`, patientId: created.id, unit, status: 'in-progress', start: now.toISOString() });
      const { seq } = await audit.record({
        type: 'record.patient.create',
        action: 'C',
        outcome: 'success',
        agent: caller.agent,
        patient: { ipp: created.ipp },
        entity: { type: 'Patient', id: created.id },
        purposeOfUse: { code: 'normal' },
        detail: { unit, provisional },
      });
      return { recorded: true as const, seq };
    },
    'record.reportSearch': async ({ query }, { caller }) => {
      const { seq } = await audit.record({ type: 'record.search', action: 'E', outcome: 'success', agent: caller.agent, detail: { query } });
      return { recorded: true as const, seq };
    },
  };
}
