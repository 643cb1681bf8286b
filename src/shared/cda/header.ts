import { INS_KIND_BY_OID, sexLabel } from './format';
import { own } from './own';
import {
  readAddressLines,
  readAssignedEntity,
  readCode,
  readId,
  readIds,
  readInterval,
  readName,
  readOrganization,
  readTelecoms,
} from './readers';
import { parseCdaTime } from './time';
import type {
  CdaAuthor,
  CdaBirthplace,
  CdaEncounter,
  CdaHeader,
  CdaIns,
  CdaParticipant,
  CdaPatient,
  CdaServiceEvent,
} from './types';
import { attr, hl7Child, hl7Children, hl7Path, textOf, type XElement } from './xml';

export function readHeader(root: XElement): CdaHeader {
  const header: CdaHeader = {
    templateIds: hl7Children(root, 'templateId')
      .map((t) => attr(t, 'root'))
      .filter((r): r is string => !!r),
    authors: [],
    participants: [],
    recipients: [],
    serviceEvents: [],
    relatedDocuments: [],
  };
  const id = readId(hl7Child(root, 'id'));
  if (id) header.id = id;
  const code = readCode(hl7Child(root, 'code'));
  if (code) header.code = code;
  const title = textOf(hl7Child(root, 'title'), 1000);
  if (title) header.title = title;
  const effectiveTime = parseCdaTime(attr(hl7Child(root, 'effectiveTime'), 'value'));
  if (effectiveTime) header.effectiveTime = effectiveTime;
  const confidentiality = readCode(hl7Child(root, 'confidentialityCode'));
  if (confidentiality) header.confidentiality = confidentiality;
  const language = attr(hl7Child(root, 'languageCode'), 'code');
  if (language) header.language = language;
  const setId = readId(hl7Child(root, 'setId'));
  if (setId) header.setId = setId;
  const version = Number(attr(hl7Child(root, 'versionNumber'), 'value'));
  if (Number.isInteger(version) && version >= 0) header.version = version;

  const patientRole = hl7Path(root, 'recordTarget', 'patientRole');
  if (patientRole) header.patient = readPatient(patientRole);

  for (const a of hl7Children(root, 'author')) {
    const author: CdaAuthor = { entity: readAssignedEntity(hl7Child(a, 'assignedAuthor')) };
    const time = parseCdaTime(attr(hl7Child(a, 'time'), 'value'));
    if (time) author.time = time;
    header.authors.push(author);
  }

  const custodian = readOrganization(hl7Path(root, 'custodian', 'assignedCustodian', 'representedCustodianOrganization'));
  if (custodian) header.custodian = custodian;

  const legal = hl7Child(root, 'legalAuthenticator');
  if (legal) {
    header.legalAuthenticator = { entity: readAssignedEntity(hl7Child(legal, 'assignedEntity')) };
    const time = parseCdaTime(attr(hl7Child(legal, 'time'), 'value'));
    if (time) header.legalAuthenticator.time = time;
    const signature = attr(hl7Child(legal, 'signatureCode'), 'code');
    if (signature) header.legalAuthenticator.signatureCode = signature;
  }

  for (const p of hl7Children(root, 'participant')) {
    const participant: CdaParticipant = { entity: readAssignedEntity(hl7Child(p, 'associatedEntity')) };
    const typeCode = attr(p, 'typeCode');
    if (typeCode) participant.typeCode = typeCode;
    const functionCode = readCode(hl7Child(p, 'functionCode'));
    if (functionCode) participant.functionCode = functionCode;
    const time = readInterval(hl7Child(p, 'time'));
    if (time) participant.time = time;
    header.participants.push(participant);
  }

  for (const r of hl7Children(root, 'informationRecipient')) {
    header.recipients.push(readAssignedEntity(hl7Child(r, 'intendedRecipient')));
  }

  for (const d of hl7Children(root, 'documentationOf')) {
    const se = hl7Child(d, 'serviceEvent');
    if (se) header.serviceEvents.push(readServiceEvent(se));
  }

  for (const r of hl7Children(root, 'relatedDocument')) {
    const related = { parentIds: readIds(hl7Child(r, 'parentDocument')) } as CdaHeader['relatedDocuments'][number];
    const typeCode = attr(r, 'typeCode');
    if (typeCode) related.typeCode = typeCode;
    header.relatedDocuments.push(related);
  }

  const encounter = hl7Path(root, 'componentOf', 'encompassingEncounter');
  if (encounter) header.encounter = readEncounter(encounter);
  return header;
}

function readPatient(role: XElement): CdaPatient {
  const ids = readIds(role);
  const ins: CdaIns[] = [];
  for (const id of ids) {
    const kind = own(INS_KIND_BY_OID, id.root);
    if (kind && id.extension) ins.push({ value: id.extension, oid: id.root as string, kind });
  }
  const patientEl = hl7Child(role, 'patient');
  const patient: CdaPatient = {
    display: '',
    ids,
    ins,
    names: [],
    addressLines: hl7Children(role, 'addr').flatMap((a) => readAddressLines(a)),
    telecoms: readTelecoms(role),
  };
  const nameEls = hl7Children(patientEl, 'name');
  for (const n of nameEls) {
    const name = readName(n);
    if (name) patient.names.push(name);
  }
  readStrictTraits(nameEls, patient);
  const given = patient.usedGivenName ?? patient.firstBirthGivenName;
  const family = patient.usedFamilyName ?? patient.birthFamilyName;
  patient.display = [given, family].filter(Boolean).join(' ') || (patient.names[0]?.display ?? '');

  const sexEl = hl7Child(patientEl, 'administrativeGenderCode');
  const sexCode = attr(sexEl, 'code');
  if (sexCode) patient.sex = { code: sexCode, label: sexLabel(sexCode, attr(sexEl, 'displayName')) };
  const birth = parseCdaTime(attr(hl7Child(patientEl, 'birthTime'), 'value'));
  if (birth) patient.birthDate = birth;
  // sdtc:deceasedInd / deceasedTime live in another namespace; read them by local name.
  for (let c = patientEl?.firstChild; c; c = c.nextSibling) {
    const el = c as XElement;
    if (c.nodeType !== 1) continue;
    if (el.localName === 'deceasedInd' && attr(el, 'value') === 'true') patient.deceased = true;
    if (el.localName === 'deceasedTime') {
      const death = parseCdaTime(attr(el, 'value'));
      if (death) {
        patient.deathDate = death;
        patient.deceased = true;
      }
    }
  }
  const place = hl7Path(patientEl, 'birthplace', 'place');
  if (place) {
    const addr = hl7Child(place, 'addr');
    const birthplace: CdaBirthplace = {};
    const county = textOf(hl7Child(addr, 'county'), 50);
    const city = textOf(hl7Child(addr, 'city'), 200);
    const postalCode = textOf(hl7Child(addr, 'postalCode'), 50);
    const country = textOf(hl7Child(addr, 'country'), 200);
    const name = textOf(hl7Child(place, 'name'), 200);
    if (county) birthplace.inseeCode = county;
    if (city) birthplace.city = city;
    if (postalCode) birthplace.postalCode = postalCode;
    if (country) birthplace.country = country;
    if (name) birthplace.name = name;
    if (Object.keys(birthplace).length > 0) patient.birthplace = birthplace;
  }
  return patient;
}

function qualifiers(el: XElement): string[] {
  return (attr(el, 'qualifier') ?? '').split(/\s+/).filter((q) => q !== '');
}

/** The INS strict traits per the CI-SIS: BR = birth, CL = used ("nom utilisé"), SP = spouse. */
function readStrictTraits(nameEls: XElement[], patient: CdaPatient): void {
  const families: { text: string; q: string[] }[] = [];
  const givens: { text: string; q: string[] }[] = [];
  for (const n of nameEls) {
    for (const f of hl7Children(n, 'family')) {
      const text = textOf(f, 300);
      if (text) families.push({ text, q: qualifiers(f) });
    }
    for (const g of hl7Children(n, 'given')) {
      const text = textOf(g, 300);
      if (text) givens.push({ text, q: qualifiers(g) });
    }
  }
  const birthFamily = families.find((f) => f.q.includes('BR')) ?? families.find((f) => f.q.length === 0);
  if (birthFamily) patient.birthFamilyName = birthFamily.text;
  const used = families.find((f) => f.q.includes('CL')) ?? families.find((f) => f.q.includes('SP'));
  if (used) patient.usedFamilyName = used.text;
  const allBirthGivens = givens.filter((g) => g.q.length === 0);
  if (allBirthGivens.length > 0) patient.birthGivenNames = allBirthGivens.map((g) => g.text).join(' ');
  const firstBirth = givens.find((g) => g.q.includes('BR'));
  if (firstBirth) patient.firstBirthGivenName = firstBirth.text;
  else if (allBirthGivens[0]) patient.firstBirthGivenName = allBirthGivens[0].text.split(' ')[0];
  const usedGiven = givens.find((g) => g.q.includes('CL'));
  if (usedGiven) patient.usedGivenName = usedGiven.text;
}

function readServiceEvent(se: XElement): CdaServiceEvent {
  const event: CdaServiceEvent = { ids: readIds(se), performers: [] };
  const code = readCode(hl7Child(se, 'code'));
  if (code) event.code = code;
  const time = readInterval(hl7Child(se, 'effectiveTime'));
  if (time) event.effectiveTime = time;
  for (const p of hl7Children(se, 'performer')) {
    const performer: CdaServiceEvent['performers'][number] = { entity: readAssignedEntity(hl7Child(p, 'assignedEntity')) };
    const typeCode = attr(p, 'typeCode');
    if (typeCode) performer.typeCode = typeCode;
    event.performers.push(performer);
  }
  return event;
}

function readEncounter(el: XElement): CdaEncounter {
  const encounter: CdaEncounter = { ids: readIds(el) };
  const code = readCode(hl7Child(el, 'code'));
  if (code) encounter.code = code;
  const time = readInterval(hl7Child(el, 'effectiveTime'));
  if (time) encounter.effectiveTime = time;
  const facility = hl7Path(el, 'location', 'healthCareFacility');
  if (facility) {
    const place = hl7Child(facility, 'location');
    const location: NonNullable<CdaEncounter['location']> = {
      ids: readIds(facility),
      addressLines: hl7Children(place, 'addr').flatMap((a) => readAddressLines(a)),
    };
    const facilityCode = readCode(hl7Child(facility, 'code'));
    if (facilityCode) location.facilityCode = facilityCode;
    const name = textOf(hl7Child(place, 'name'), 300) || readOrganization(hl7Child(facility, 'serviceProviderOrganization'))?.name;
    if (name) location.name = name;
    encounter.location = location;
  }
  const responsible = hl7Path(el, 'responsibleParty', 'assignedEntity');
  if (responsible) encounter.responsible = readAssignedEntity(responsible);
  return encounter;
}
