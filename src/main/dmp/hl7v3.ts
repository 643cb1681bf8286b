import { randomUUID } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { DmpError } from './errors';
import { NS, attr, child, childElements, path } from './xml';
import { toXdsDtm } from '../../shared/time';
import type { AuthorizationStatus, DmpStatus } from './types';

/** TD0.2 — HL7v3 PRPA_IN201307UV02 (patient query) / PRPA_IN201308UV02 (answer). */

export const TD02_ACTION = 'urn:hl7-org:v3:PRPA_IN201307UV02';
export const TD02_RESPONSE_ACTION = 'urn:hl7-org:v3:PRPA_IN201308UV02';
/** DMP receiver device and observation code system (1.2.250.1.213.4.1.2.3: DMP patient observations). */
const DMP_DEVICE = '1.2.250.1.213.4.1.1.1';
const DMP_OBS_SYSTEM = '1.2.250.1.213.4.1.2.3';

function h(doc: Document, parent: Element, local: string, attrs: Record<string, string> = {}): Element {
  const e = doc.createElementNS(NS.hl7, local);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('xsi:')) e.setAttributeNS(NS.xsi, k, v);
    else e.setAttribute(k, v);
  }
  parent.appendChild(e);
  return e;
}

function device(doc: Document, parent: Element, typeCode: string, id: string, name: string): void {
  const r = h(doc, parent, typeCode === 'RCV' ? 'receiver' : 'sender', { typeCode });
  const d = h(doc, r, 'device', { classCode: 'DEV', determinerCode: 'INSTANCE' });
  h(doc, d, 'id', { root: id });
  h(doc, d, 'softwareName').appendChild(doc.createTextNode(name));
}

export function addTd02Request(body: Element, ins: string, insOid: string, lpsId: string, lpsName: string, now: Date): void {
  const doc = body.ownerDocument!;
  const msg = h(doc, body, 'PRPA_IN201307UV02', { ITSVersion: 'XML_1.0' });
  h(doc, msg, 'id', { root: randomUUID() });
  h(doc, msg, 'creationTime', { value: toXdsDtm(now) });
  h(doc, msg, 'interactionId', { root: '2.16.840.1.113883.1.6', extension: 'PRPA_IN201307UV02' });
  h(doc, msg, 'processingCode', { code: 'P' });
  h(doc, msg, 'processingModeCode', { code: 'T' });
  h(doc, msg, 'acceptAckCode', { code: 'AL' });
  device(doc, msg, 'RCV', DMP_DEVICE, 'DMP');
  device(doc, msg, 'SND', lpsId, lpsName);
  const cap = h(doc, msg, 'controlActProcess', { classCode: 'CACT', moodCode: 'EVN' });
  h(doc, cap, 'code', { code: 'PRPA_TE201307UV02', codeSystem: '2.16.840.1.113883.1.6' });
  h(doc, cap, 'reasonCode', { code: 'TEST_EXST', codeSystem: '1.2.250.1.213.1.1.4.11', displayName: "Test d'existence de dossier" });
  const q = h(doc, cap, 'queryByParameter');
  h(doc, q, 'queryId', { root: randomUUID() });
  h(doc, q, 'statusCode', { code: 'new' });
  h(doc, q, 'responsePriorityCode', { code: 'I' });
  const pl = h(doc, q, 'parameterList');
  const pid = h(doc, pl, 'patientIdentifier');
  h(doc, pid, 'value', { root: insOid, extension: ins });
  h(doc, pid, 'semanticsText').appendChild(doc.createTextNode('Patient.id'));
}

/** Reads the INS queried by a PRPA_IN201307UV02 (sandbox). */
export function readTd02Request(body: Element): { ins: string; root: string } | undefined {
  const msg = child(body, NS.hl7, 'PRPA_IN201307UV02');
  const v = path(msg, [NS.hl7, 'controlActProcess'], [NS.hl7, 'queryByParameter'], [NS.hl7, 'parameterList'], [NS.hl7, 'patientIdentifier'], [NS.hl7, 'value']);
  const ins = attr(v, 'extension');
  return ins ? { ins, root: attr(v, 'root') ?? '' } : undefined;
}

/** PRPA_IN201308UV02 answer (sandbox side). */
export function addTd02Response(body: Element, ins: string, insOid: string, status: DmpStatus | undefined, now: Date): void {
  const doc = body.ownerDocument!;
  const msg = h(doc, body, 'PRPA_IN201308UV02', { ITSVersion: 'XML_1.0' });
  h(doc, msg, 'id', { root: randomUUID() });
  h(doc, msg, 'creationTime', { value: toXdsDtm(now) });
  h(doc, msg, 'interactionId', { root: '2.16.840.1.113883.1.6', extension: 'PRPA_IN201308UV02' });
  h(doc, msg, 'processingCode', { code: 'P' });
  h(doc, msg, 'processingModeCode', { code: 'T' });
  h(doc, msg, 'acceptAckCode', { code: 'NE' });
  const ack = h(doc, msg, 'acknowledgement');
  h(doc, ack, 'typeCode', { code: 'AA' });
  const cap = h(doc, msg, 'controlActProcess', { classCode: 'CACT', moodCode: 'EVN' });
  h(doc, cap, 'code', { code: 'PRPA_TE201308UV02', codeSystem: '2.16.840.1.113883.1.6' });
  if (status?.exists) {
    const subj = h(doc, cap, 'subject', { typeCode: 'SUBJ' });
    const reg = h(doc, subj, 'registrationEvent', { classCode: 'REG', moodCode: 'EVN' });
    h(doc, reg, 'statusCode', { code: 'active' });
    const s1 = h(doc, reg, 'subject1', { typeCode: 'SBJ' });
    const p = h(doc, s1, 'patient', { classCode: 'PAT' });
    h(doc, p, 'id', { root: insOid, extension: ins });
    h(doc, p, 'statusCode', { code: 'active' });
    const obs = (code: string, display: string, value: Record<string, string>): void => {
      const so = h(doc, p, 'subjectOf1', { typeCode: 'SBJ' });
      const ao = h(doc, so, 'administrativeObservation', { classCode: 'OBS', moodCode: 'EVN' });
      h(doc, ao, 'code', { code, codeSystem: DMP_OBS_SYSTEM, displayName: display });
      h(doc, ao, 'value', value);
    };
    obs('AUTORISATION_ACCES', "Statut de l'autorisation d'accès du professionnel", { 'xsi:type': 'CV', code: status.authorization, codeSystem: DMP_OBS_SYSTEM });
    obs('OPPOSITION_BRIS_DE_GLACE', 'opposition au mode bris de glace', { 'xsi:type': 'BL', value: String(status.oppositions.brisDeGlace) });
    obs('OPPOSITION_ACCES_URGENCE', "opposition à l'accès au mode urgence (centre 15)", { 'xsi:type': 'BL', value: String(status.oppositions.centre15) });
  }
  const qa = h(doc, cap, 'queryAck');
  h(doc, qa, 'queryResponseCode', { code: status?.exists ? 'OK' : 'NF' });
}

const STATUSES: AuthorizationStatus[] = ['NON_EXISTE', 'INTERDIT', 'EXPIRE', 'VALIDE'];

export function readTd02Response(body: Element): DmpStatus {
  const msg = child(body, NS.hl7, 'PRPA_IN201308UV02');
  if (!msg) throw new DmpError('DMP_RESPONSE_INVALID', "La réponse du DMP au test d'existence (PRPA_IN201308UV02) est absente.");
  const ackCode = attr(path(msg, [NS.hl7, 'acknowledgement'], [NS.hl7, 'typeCode']), 'code');
  if (ackCode && ackCode !== 'AA') {
    throw new DmpError('DMP_SOAP_FAULT', `Le DMP a refusé le test d'existence du dossier (acquittement ${ackCode}).`);
  }
  const cap = child(msg, NS.hl7, 'controlActProcess');
  const rc = attr(path(cap, [NS.hl7, 'queryAck'], [NS.hl7, 'queryResponseCode']), 'code');
  const patient = path(cap, [NS.hl7, 'subject'], [NS.hl7, 'registrationEvent'], [NS.hl7, 'subject1'], [NS.hl7, 'patient']);
  if (rc === 'NF' || !patient) {
    return { exists: false, authorization: 'NON_EXISTE', oppositions: { brisDeGlace: false, centre15: false } };
  }
  const obs = new Map<string, Element>();
  for (const so of childElements(patient, NS.hl7, 'subjectOf1')) {
    const ao = child(so, NS.hl7, 'administrativeObservation');
    const code = attr(ao ? child(ao, NS.hl7, 'code') : undefined, 'code');
    const value = ao ? child(ao, NS.hl7, 'value') : undefined;
    if (code && value) obs.set(code, value);
  }
  const auth = attr(obs.get('AUTORISATION_ACCES'), 'code') as AuthorizationStatus | undefined;
  if (!auth || !STATUSES.includes(auth)) {
    throw new DmpError('DMP_RESPONSE_INVALID', "La réponse du DMP ne précise pas le statut de votre autorisation d'accès.");
  }
  return {
    exists: true,
    authorization: auth,
    oppositions: {
      brisDeGlace: attr(obs.get('OPPOSITION_BRIS_DE_GLACE'), 'value') === 'true',
      centre15: attr(obs.get('OPPOSITION_ACCES_URGENCE'), 'value') === 'true',
    },
  };
}
