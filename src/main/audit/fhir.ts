import type { Checkpoint } from './checkpoint';
import type { JournalEntry } from './entry';

/**
 * FHIR R4 AuditEvent of a journal entry, following IHE BALP's use of the
 * elements. One-to-one mapping:
 *   seq → extension journal-seq        time → recorded
 *   type → subtype (local code system); type = DICOM event id (110127 for break-glass)
 *   action → action                    outcome → outcome (+ outcomeDesc)
 *   agent → agent[requestor] (who.identifier = user id, altId = RPPS, role, name)
 *   workstationId → source.observer    patient → entity[role Patient] (IPP, INS)
 *   entity → entity[what = Type/id]    purposeOfUse → purposeOfEvent (+ agent.purposeOfUse)
 *   detail → entity.detail
 */
const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const EVENT_TYPE_SYSTEM = 'urn:chu-workstation:audit:event-type';
const USER_SYSTEM = 'urn:chu-workstation:user';
const IPP_SYSTEM = 'urn:chu-workstation:ipp';
const WORKSTATION_SYSTEM = 'urn:chu-workstation:workstation';
const ROLE_SYSTEM = 'urn:chu-workstation:role';
/** DMP access modes (DOMAIN.md §2). */
const DMP_MODE_SYSTEM = 'urn:oid:1.2.250.1.213.1.1.4.248';
const LOCAL_MODE_SYSTEM = 'urn:chu-workstation:access-mode';
const ACT_REASON = 'http://terminology.hl7.org/CodeSystem/v3-ActReason';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SEQ_EXT = 'urn:chu-workstation:fhir:StructureDefinition:journal-seq';
const WORKSTATION_EXT = 'urn:chu-workstation:fhir:StructureDefinition:journal-origin';

type Json = Record<string, unknown>;

function eventType(e: JournalEntry): Json {
  const code = e.purposeOfUse?.code;
  if (code === 'bris_de_glace' || code === 'bris_de_glace_local') return { system: DCM, code: '110127', display: 'Emergency Override Started' };
  if (e.type.startsWith('auth.') || e.type.startsWith('session.')) return { system: DCM, code: '110114', display: 'User Authentication' };
  if (e.patient) return { system: DCM, code: '110110', display: 'Patient Record' };
  if (e.type.startsWith('journal.')) return { system: DCM, code: '110100', display: 'Application Activity' };
  return { system: DCM, code: '110113', display: 'Security Alert' };
}

function purpose(e: JournalEntry): Json[] | undefined {
  const u = e.purposeOfUse;
  if (!u) return undefined;
  switch (u.code) {
    case 'normal':
      return [{ coding: [{ system: DMP_MODE_SYSTEM, code: 'normal' }, { system: ACT_REASON, code: 'TREAT', display: 'treatment' }] }];
    case 'centre_15':
      return [{ coding: [{ system: DMP_MODE_SYSTEM, code: 'centre_15' }, { system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' }] }];
    case 'bris_de_glace':
      return [
        {
          coding: [{ system: DMP_MODE_SYSTEM, code: 'bris_de_glace' }, { system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' }],
          text: u.justification,
        },
      ];
    case 'bris_de_glace_local':
      return [
        {
          coding: [
            { system: LOCAL_MODE_SYSTEM, code: 'bris_de_glace_local', display: u.reason },
            { system: ACT_REASON, code: 'ETREAT', display: 'Emergency Treatment' },
          ],
          text: u.justification,
        },
      ];
  }
}

function fhirId(e: JournalEntry): string {
  const ws = e.workstationId.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 40);
  return `${ws}.${e.seq}`.slice(-64);
}

export function toFhirAuditEvent(e: JournalEntry): Json {
  const agents: Json[] = [];
  const pou = purpose(e);
  if (e.agent) {
    const a: Json = {
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'humanuser', display: 'human user' }] },
      role: [{ coding: [{ system: ROLE_SYSTEM, code: e.agent.role }] }],
      who: { identifier: { system: USER_SYSTEM, value: e.agent.userId }, display: e.agent.name },
      name: e.agent.name,
      requestor: true,
    };
    if (e.agent.rpps) a.altId = e.agent.rpps;
    if (pou) a.purposeOfUse = pou;
    agents.push(a);
  } else {
    agents.push({
      type: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/extra-security-role-type', code: 'dataprocessor', display: 'data processor' }] },
      who: { identifier: { system: WORKSTATION_SYSTEM, value: e.workstationId } },
      requestor: false,
    });
  }
  const entities: Json[] = [];
  if (e.patient) {
    const identifiers: Json[] = [];
    if (e.patient.ipp) identifiers.push({ system: IPP_SYSTEM, value: e.patient.ipp });
    if (e.patient.ins) {
      const [nir, oid] = e.patient.ins.split('@');
      identifiers.push({ system: `urn:oid:${oid}`, value: nir });
    }
    for (const identifier of identifiers) {
      entities.push({
        what: { identifier },
        type: { system: ENTITY_TYPE, code: '1', display: 'Person' },
        role: { system: OBJECT_ROLE, code: '1', display: 'Patient' },
      });
    }
  }
  if (e.entity) {
    entities.push({ what: { reference: `${e.entity.type}/${e.entity.id}` }, type: { system: ENTITY_TYPE, code: '2', display: 'System Object' } });
  }
  if (e.detail) {
    const detail = Object.entries(e.detail).map(([type, v]) => ({ type, valueString: String(v) }));
    const target = entities[entities.length - 1];
    if (target) target.detail = detail;
    else entities.push({ type: { system: ENTITY_TYPE, code: '4', display: 'Other' }, detail });
  }
  const ev: Json = {
    resourceType: 'AuditEvent',
    id: fhirId(e),
    extension: [
      { url: SEQ_EXT, valueInteger: e.seq },
      { url: WORKSTATION_EXT, valueString: e.workstationId },
    ],
    type: eventType(e),
    subtype: [{ system: EVENT_TYPE_SYSTEM, code: e.type }],
    action: e.action,
    recorded: e.time,
    outcome: e.outcome === 'success' ? '0' : '4',
    agent: agents,
    source: {
      observer: { identifier: { system: WORKSTATION_SYSTEM, value: e.workstationId } },
      type: [{ system: 'http://terminology.hl7.org/CodeSystem/security-source-type', code: '1', display: 'User Device' }],
    },
  };
  if (e.outcome !== 'success') ev.outcomeDesc = e.outcome === 'denied' ? 'Accès refusé' : 'Échec';
  if (pou) ev.purposeOfEvent = pou;
  if (entities.length) ev.entity = entities;
  return ev;
}

/** FHIR Bundle (collection) of AuditEvents plus the signed checkpoints covering them, as Binary. */
export function toFhirBundle(entries: JournalEntry[], checkpoints: Checkpoint[], timestamp: string): Json {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    timestamp,
    entry: [
      ...entries.map((e) => ({ fullUrl: `urn:uuid:audit-${fhirId(e)}`, resource: toFhirAuditEvent(e) })),
      ...checkpoints.map((c) => ({
        fullUrl: `urn:uuid:checkpoint-${c.index}`,
        resource: {
          resourceType: 'Binary',
          contentType: 'application/vnd.chu-workstation.journal-checkpoint+json',
          data: Buffer.from(JSON.stringify(c), 'utf8').toString('base64'),
        },
      })),
    ],
  };
}
