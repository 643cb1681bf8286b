import { randomInt, randomUUID } from 'node:crypto';
import { RECORD_ACCESS_EVENTS } from '../../shared/bridge/methods-record';
import { BridgeFailure } from '../../shared/bridge/result';
import {
  assertLinkable,
  assertStayOf,
  assertWritablePatient,
  checkAllergy,
  checkEmergencyPatient,
  checkLink,
  checkNewPatient,
  checkNewStay,
  checkNote,
  checkProblem,
  checkTreatment,
  emergencyNames,
  provisionalLabel,
} from '../../shared/record/rules';
import type { AllergyRow, NoteRow, PatientRow, ProblemRow, RecordRows, StayRow, TreatmentRow } from '../../shared/record/types';
import { RecordStateError, RecordValidationError } from '../../shared/record/validation';
import { exchangeableIns } from '../../shared/ins/identity-status';
import { searchTokens } from '../../shared/text/normalise';
import type { AuditPatient, AuditPort } from '../host/audit-port';
import type { Clock } from '../host/clock';
import type { Handler, PatientCall, SignedInCall } from '../host/handlers';
import { applyCareDelta, type CareDelta, type CareIndexPort } from '../sync/care-port';
import type { Outbox, ReplicaPort } from '../sync/outbox/outbox';
import { careEncounter } from '../sync/outbox/rekey';
import type { OutboxOp } from '../sync/outbox/types';

/**
 * Local writes: the renderer's forms call these, main checks them with the very rules the forms use (same French
 * messages), journals them, queues them in the durable outbox, and applies them to the replica at once, so the
 * change is in the renderer's cache (and in the answer) before it reaches the hospital server.
 */
export interface WriteDeps {
  audit: AuditPort;
  replica: ReplicaPort;
  outbox: Outbox;
  clock: Clock;
  /** Main's care index: a patient created here is in care in its stay's unit from the first second. */
  care?: CareIndexPort;
}

type WriteMethod =
  | 'record.allergy.add'
  | 'record.treatment.add'
  | 'record.problem.add'
  | 'record.note.add'
  | 'record.patient.create'
  | 'record.patient.createUnidentified'
  | 'record.identity.link';

/** The rules' refusals as bridge refusals: bad input, or a record state that forbids the write. */
function checked<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof RecordValidationError) throw new BridgeFailure('INVALID_INPUT', err.message);
    if (err instanceof RecordStateError) throw new BridgeFailure('CONFLICT', err.message);
    throw err;
  }
}

/** IPP always; INS only for a qualified identity (DOMAIN.md §4). */
function auditOf(p: PatientRow): AuditPatient {
  const ins = exchangeableIns(p);
  return ins ? { ipp: p.ipp, ins } : { ipp: p.ipp };
}

const PROV_ONLY = "Statut de l'identité : une identité créée au poste est provisoire (PROV) ; sa qualification passe par le téléservice INSi.";

/** A provisional IPP given offline: "9" and 14 random digits, far from the hospital's own numbering. */
function provisionalIpp(): string {
  return '9' + String(randomInt(0, 10 ** 7)).padStart(7, '0') + String(randomInt(0, 10 ** 7)).padStart(7, '0');
}

export function createRecordWriteHandlers(deps: WriteDeps): { [M in WriteMethod]: Handler<M> } {
  const { audit, replica, outbox, clock } = deps;

  /** The patient as the replica holds it now (a local id already pushed reads as its server id). */
  async function patientRow(id: string): Promise<PatientRow | undefined> {
    return replica.get('patients', outbox.serverIdOf(id) ?? id);
  }

  async function writable(call: PatientCall): Promise<PatientRow> {
    const row = await patientRow(call.patient.ref.id);
    return checked(() => assertWritablePatient(row));
  }

  /** Journal, then the outbox (durable), then the replica: a crash after the outbox loses nothing, the push re-applies it. */
  async function commit(w: {
    caller: SignedInCall['caller'];
    events: { type: keyof typeof RECORD_ACCESS_EVENTS; patient: AuditPatient; entity: { type: string; id: string }; detail?: Record<string, string | number | boolean> }[];
    purposeOfUse?: PatientCall['patient']['purposeOfUse'];
    label: string;
    patientIds: string[];
    ops: OutboxOp[];
    care?: CareDelta;
  }): Promise<{ rows: RecordRows; seq: number }> {
    for (const e of w.events) {
      await audit.record({
        type: e.type,
        action: RECORD_ACCESS_EVENTS[e.type].action,
        outcome: 'success',
        agent: w.caller.agent,
        patient: e.patient,
        entity: e.entity,
        ...(w.purposeOfUse ? { purposeOfUse: w.purposeOfUse } : {}),
        ...(e.detail ? { detail: e.detail } : {}),
      });
    }
    await outbox.enqueue({ label: w.label, patientIds: w.patientIds, ops: w.ops });
    const rows: Record<string, unknown[]> = {};
    for (const op of w.ops) (rows[op.table] ??= []).push(op.row);
    const seq = await replica.append({ upserts: rows as RecordRows }, w.care ? { care: w.care } : undefined);
    if (deps.care && w.care) applyCareDelta(deps.care, w.care);
    outbox.wake();
    return { rows: rows as RecordRows, seq };
  }

  const bedside = (call: PatientCall, type: keyof typeof RECORD_ACCESS_EVENTS, entity: { type: string; id: string }, detail?: Record<string, string | number | boolean>) => ({
    caller: call.caller,
    purposeOfUse: call.patient.purposeOfUse,
    events: [{ type, patient: call.patient.audit, entity, ...(detail ? { detail } : {}) }],
  });

  async function createIdentity(call: SignedInCall, patient: PatientRow, stay: StayRow | null, label: string, detail: Record<string, string | number | boolean>) {
    const ops: OutboxOp[] = [{ op: 'create', table: 'patients', row: patient }];
    if (stay) ops.push({ op: 'create', table: 'stays', row: stay });
    const care: CareDelta = { patients: [{ id: patient.id, ipp: patient.ipp }], ...(stay ? { encounters: [careEncounter(stay, clock.now())] } : {}) };
    const events = [{ type: 'record.patient.create' as const, patient: { ipp: patient.ipp }, entity: { type: 'Patient', id: patient.id }, detail }];
    return commit({ caller: call.caller, events, label, patientIds: [patient.id], ops, care });
  }

  return {
    'record.allergy.add': async (input, call) => {
      const fields = checked(() => checkAllergy(input));
      const patient = await writable(call);
      const row: AllergyRow = { id: randomUUID(), patientId: patient.id, ...fields, status: 'active', recordedAt: clock.now().toISOString() };
      row.recordedBy ??= call.caller.agent.name;
      const ops: OutboxOp[] = [{ op: 'create', table: 'allergies', row }];
      return commit({ ...bedside(call, 'record.allergy.write', { type: 'AllergyIntolerance', id: row.id }), label: `Allergie : ${row.substance}`, patientIds: [patient.id], ops });
    },
    'record.treatment.add': async (input, call) => {
      const fields = checked(() => checkTreatment(input, clock.now()));
      const patient = await writable(call);
      const row: TreatmentRow = { id: randomUUID(), patientId: patient.id, ...fields, status: 'active' };
      row.prescriber ??= call.caller.agent.name;
      const ops: OutboxOp[] = [{ op: 'create', table: 'treatments', row }];
      const w = bedside(call, 'record.treatment.write', { type: 'MedicationRequest', id: row.id }, { kind: row.kind });
      return commit({ ...w, label: `Traitement : ${row.medication}`, patientIds: [patient.id], ops });
    },
    'record.problem.add': async (input, call) => {
      const fields = checked(() => checkProblem(input, clock.now()));
      const patient = await writable(call);
      const row: ProblemRow = { id: randomUUID(), patientId: patient.id, ...fields, status: 'active' };
      const ops: OutboxOp[] = [{ op: 'create', table: 'problems', row }];
      const w = bedside(call, 'record.problem.write', { type: 'Condition', id: row.id }, { code: row.code });
      return commit({ ...w, label: `Diagnostic : ${row.code} ${row.label}`, patientIds: [patient.id], ops });
    },
    'record.note.add': async (input, call) => {
      const fields = checked(() => checkNote({ author: call.caller.agent.name, ...input }));
      const patient = await writable(call);
      if (fields.stayId) {
        const stayId = outbox.serverIdOf(fields.stayId) ?? fields.stayId;
        const stay = await replica.get('stays', stayId);
        checked(() => assertStayOf(stay, patient.id));
        fields.stayId = stayId;
      }
      const row: NoteRow = { id: randomUUID(), patientId: patient.id, ...fields, createdAt: clock.now().toISOString() };
      const ops: OutboxOp[] = [{ op: 'create', table: 'notes', row }];
      return commit({ ...bedside(call, 'record.note.write', { type: 'DocumentReference', id: row.id }), label: 'Note clinique', patientIds: [patient.id], ops });
    },
    'record.patient.create': async (input, call) => {
      const now = clock.now();
      const { stay: stayInput, ...identity } = input;
      const fields = checked(() => {
        // Checked as the provisional identity it will be; a qualification status asked for is one more field error.
        const status: Record<string, string> = identity.identityStatus === undefined || identity.identityStatus === 'PROV' ? {} : { identityStatus: PROV_ONLY };
        try {
          const f = checkNewPatient({ ...identity, identityStatus: 'PROV' }, now);
          if (Object.keys(status).length > 0) throw new RecordValidationError(status);
          return f;
        } catch (err) {
          if (err instanceof RecordValidationError) throw new RecordValidationError({ ...err.fieldErrors, ...status });
          throw err;
        }
      });
      const stayFields = stayInput ? checked(() => checkNewStay(stayInput, now)) : null;
      const id = randomUUID();
      const units = stayFields ? [stayFields.unit] : [];
      const patient: PatientRow = { ...fields, id, ipp: provisionalIpp(), units, createdAt: now.getTime(), updatedAt: now.getTime() };
      if (stayFields) patient.currentUnit = stayFields.unit;
      else delete patient.currentUnit;
      const stay: StayRow | null = stayFields ? { id: randomUUID(), patientId: id, ...stayFields } : null;
      return createIdentity(call, patient, stay, `Nouveau patient : ${patient.birthFamilyName} ${patient.birthGivenNames}`, { provisional: true });
    },
    'record.patient.createUnidentified': async (input, call) => {
      const now = clock.now();
      const { unit, sex } = checked(() => checkEmergencyPatient(input));
      const label = provisionalLabel(now);
      const names = emergencyNames(label);
      const id = randomUUID();
      const patient: PatientRow = { id, ipp: provisionalIpp(), ...names, sex, identityStatus: 'PROV', tokens: searchTokens(names), units: [unit], currentUnit: unit, provisionalLabel: label, createdAt: now.getTime(), updatedAt: now.getTime() };
      const stay: StayRow = { id: randomUUID(), patientId: id, unit, start: now.toISOString(), type: 'urgences' };
      return createIdentity(call, patient, stay, label, { provisional: true, unidentified: true });
    },
    'record.identity.link': async (input, call) => {
      const { realId, linkedBy } = checked(() => checkLink({ provisionalId: call.patient.ref.id, linkedBy: call.caller.agent.name, ...input }));
      const [provisionalRow, realRow] = [await patientRow(call.patient.ref.id), await patientRow(realId)];
      const { provisional, real } = checked(() => assertLinkable(provisionalRow, realRow));
      const updated: PatientRow = { ...provisional, linkedTo: real.id, updatedAt: clock.now().getTime() };
      const baseVersion = replica.versionOf('Patient', provisional.id);
      const ops: OutboxOp[] = [{ op: 'update', table: 'patients', row: updated, ...(baseVersion ? { baseVersion } : {}) }];
      const entity = { type: 'Patient', id: provisional.id };
      type Event = { type: 'record.identity.link'; patient: AuditPatient; entity: { type: string; id: string }; detail: Record<string, string> };
      const events: Event[] = [
        { type: 'record.identity.link' as const, patient: call.patient.audit, entity, detail: { role: 'provisional', linkedToIpp: real.ipp, linkedBy } },
        { type: 'record.identity.link' as const, patient: auditOf(real), entity: { type: 'Patient', id: real.id }, detail: { role: 'real', provisionalIpp: provisional.ipp, linkedBy } },
      ];
      return commit({ caller: call.caller, purposeOfUse: call.patient.purposeOfUse, events, label: `Rattachement de ${provisional.provisionalLabel ?? provisional.ipp} à l’IPP ${real.ipp}`, patientIds: [provisional.id, real.id], ops });
    },
  };
}
