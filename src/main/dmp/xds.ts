import type { Document, Element } from '@xmldom/xmldom';
import { NS, add, attr, childElements, child, descendants, text } from './xml';
import { hl7ToEpoch } from '../../shared/time';
import {
  VISIBILITY_CODE_SYSTEM,
  type AvailabilityStatus,
  type Coded,
  type DmpAuthor,
  type DmpDocumentEntry,
  type DmpOrganisation,
  type DmpPerson,
  type VisibilityCode,
} from './types';

/** XDS.b identifiers (IHE ITI TF-3 §4.2.5). */
export const XDS = {
  findDocuments: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d',
  getDocuments: 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4',
  stableDocumentEntry: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
  submissionSetNode: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
  classCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
  confidentialityCode: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
  formatCode: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
  healthcareFacilityTypeCode: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
  practiceSettingCode: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
  typeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
  eventCodeList: 'urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4',
  docAuthor: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
  docPatientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
  docUniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
  ssUniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
  ssSourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
  ssPatientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
  ssContentTypeCode: 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
  ssAuthor: 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d',
  hasMember: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember',
  rplc: 'urn:ihe:iti:2007:AssociationType:RPLC',
  classificationNode: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ClassificationNode',
  responseSuccess: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  responseFailure: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
  responsePartial: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess',
  severityError: 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error',
} as const;

const STATUS_URN: Record<AvailabilityStatus, string> = {
  approved: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
  deprecated: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated',
  archived: 'urn:asip:ci-sis:2010:StatusType:Archived',
  deleted: 'urn:asip:ci-sis:2010:StatusType:Deleted',
};

export function statusToUrn(s: AvailabilityStatus): string {
  return STATUS_URN[s];
}

function statusFromUrn(urn: string | undefined): AvailabilityStatus {
  for (const [k, v] of Object.entries(STATUS_URN)) if (v === urn) return k as AvailabilityStatus;
  // Unknown status: the safest display is "obsolete", never "current".
  return 'deprecated';
}

/** INS in the HL7 CX form the DMP expects: NIR^^^&OID&ISO^NH. */
export function insToCx(ins: string, oid: string): string {
  return `${ins}^^^&${oid}&ISO^NH`;
}

export function cxToIns(cx: string): { ins: string; oid?: string } {
  const [id = '', , , authority = ''] = cx.split('^');
  const oid = authority.split('&')[1];
  return { ins: id, ...(oid ? { oid } : {}) };
}

/** XDS DTM (UTC) → ISO 8601; undefined when malformed. */
function dtmToIso(dtm: string | undefined): string | undefined {
  const ms = hl7ToEpoch(dtm);
  return ms === null ? undefined : new Date(ms).toISOString();
}

function parseXcn(raw: string): DmpPerson {
  const [id, family, given] = raw.split('^');
  return { raw, ...(id ? { id: id.split('&')[0] } : {}), ...(family ? { family } : {}), ...(given ? { given } : {}) };
}

export function formatXcn(p: { id?: string; family?: string; given?: string; idRoot?: string }): string {
  const authority = p.idRoot ? `&${p.idRoot}&ISO` : '';
  return `${p.id ?? ''}^${p.family ?? ''}^${p.given ?? ''}^^^^^^${authority}${p.idRoot ? '^D^^^IDNPS' : ''}`;
}

function parseXon(raw: string): DmpOrganisation {
  const parts = raw.split('^');
  return { raw, name: parts[0] ?? raw, ...(parts[9] ? { id: parts[9] } : {}) };
}

export function formatXon(name: string, id?: string, idRoot?: string): string {
  return id ? `${name}^^^^^&${idRoot ?? '1.2.250.1.71.4.2.2'}&ISO^IDNST^^^${id}` : name;
}

// ---------------------------------------------------------------- writing ebRIM

export function addSlot(parent: Element, name: string, values: string[]): Element {
  const slot = add(parent, NS.rim, 'Slot', { name });
  const list = add(slot, NS.rim, 'ValueList');
  for (const v of values) add(list, NS.rim, 'Value', {}, v);
  return slot;
}

function addLocalized(parent: Element, local: 'Name' | 'Description', value: string): void {
  const n = add(parent, NS.rim, local);
  add(n, NS.rim, 'LocalizedString', { value, charset: 'UTF-8', 'xml:lang': 'fr-FR' });
}

export function addClassification(
  parent: Element,
  scheme: string,
  objectId: string,
  id: string,
  c: { code: string; codeSystem?: string; display?: string },
): Element {
  const cl = add(parent, NS.rim, 'Classification', {
    id,
    classificationScheme: scheme,
    classifiedObject: objectId,
    nodeRepresentation: c.code,
    objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
  });
  if (c.codeSystem) addSlot(cl, 'codingScheme', [c.codeSystem]);
  addLocalized(cl, 'Name', c.display ?? c.code);
  return cl;
}

export function addExternalIdentifier(parent: Element, scheme: string, objectId: string, id: string, value: string, name: string): Element {
  const ei = add(parent, NS.rim, 'ExternalIdentifier', {
    id,
    identificationScheme: scheme,
    registryObject: objectId,
    value,
    objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier',
  });
  addLocalized(ei, 'Name', name);
  return ei;
}

/** Everything needed to write a DocumentEntry; the sandbox stores exactly this. */
export interface EntryMetadata {
  entryUUID: string;
  logicalId?: string;
  version?: string;
  uniqueId: string;
  repositoryUniqueId?: string;
  patientCx: string;
  title: string;
  comments?: string;
  mimeType: string;
  typeCode: Coded;
  classCode: Coded;
  formatCode: Coded;
  healthcareFacilityTypeCode: Coded;
  practiceSettingCode: Coded;
  eventCodes?: Coded[];
  confidentialityCodes: Coded[];
  status: AvailabilityStatus;
  creationTime: string; // DTM
  serviceStartTime?: string;
  serviceStopTime?: string;
  submissionTime?: string;
  languageCode: string;
  authors: { person?: string; institutions: string[]; role?: string; specialty?: string }[];
  legalAuthenticator?: string;
  sourcePatientId?: string;
  size?: number;
  hash?: string;
}

let idCounter = 0;
function localId(prefix: string): string {
  idCounter = (idCounter + 1) % 1e9;
  return `${prefix}${idCounter}`;
}

export function addExtrinsicObject(parent: Element, m: EntryMetadata): Element {
  const eo = add(parent, NS.rim, 'ExtrinsicObject', {
    id: m.entryUUID,
    lid: m.logicalId,
    mimeType: m.mimeType,
    objectType: XDS.stableDocumentEntry,
    status: statusToUrn(m.status),
  });
  addSlot(eo, 'creationTime', [m.creationTime]);
  addSlot(eo, 'languageCode', [m.languageCode]);
  if (m.legalAuthenticator) addSlot(eo, 'legalAuthenticator', [m.legalAuthenticator]);
  if (m.serviceStartTime) addSlot(eo, 'serviceStartTime', [m.serviceStartTime]);
  if (m.serviceStopTime) addSlot(eo, 'serviceStopTime', [m.serviceStopTime]);
  addSlot(eo, 'sourcePatientId', [m.sourcePatientId ?? m.patientCx]);
  if (m.size !== undefined) addSlot(eo, 'size', [String(m.size)]);
  if (m.hash !== undefined) addSlot(eo, 'hash', [m.hash]);
  if (m.repositoryUniqueId) addSlot(eo, 'repositoryUniqueId', [m.repositoryUniqueId]);
  if (m.submissionTime) addSlot(eo, 'submissionTime', [m.submissionTime]);
  addLocalized(eo, 'Name', m.title);
  if (m.comments) addLocalized(eo, 'Description', m.comments);
  if (m.version) add(eo, NS.rim, 'VersionInfo', { versionName: m.version });
  for (const a of m.authors) {
    const cl = add(eo, NS.rim, 'Classification', {
      id: localId('author'),
      classificationScheme: XDS.docAuthor,
      classifiedObject: m.entryUUID,
      nodeRepresentation: '',
      objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
    });
    if (a.person) addSlot(cl, 'authorPerson', [a.person]);
    if (a.institutions.length) addSlot(cl, 'authorInstitution', a.institutions);
    if (a.role) addSlot(cl, 'authorRole', [a.role]);
    if (a.specialty) addSlot(cl, 'authorSpecialty', [a.specialty]);
  }
  addClassification(eo, XDS.classCode, m.entryUUID, localId('class'), m.classCode);
  for (const c of m.confidentialityCodes) addClassification(eo, XDS.confidentialityCode, m.entryUUID, localId('conf'), c);
  for (const c of m.eventCodes ?? []) addClassification(eo, XDS.eventCodeList, m.entryUUID, localId('event'), c);
  addClassification(eo, XDS.formatCode, m.entryUUID, localId('format'), m.formatCode);
  addClassification(eo, XDS.healthcareFacilityTypeCode, m.entryUUID, localId('hcft'), m.healthcareFacilityTypeCode);
  addClassification(eo, XDS.practiceSettingCode, m.entryUUID, localId('practice'), m.practiceSettingCode);
  addClassification(eo, XDS.typeCode, m.entryUUID, localId('type'), m.typeCode);
  addExternalIdentifier(eo, XDS.docPatientId, m.entryUUID, localId('pid'), m.patientCx, 'XDSDocumentEntry.patientId');
  addExternalIdentifier(eo, XDS.docUniqueId, m.entryUUID, localId('uid'), m.uniqueId, 'XDSDocumentEntry.uniqueId');
  return eo;
}

export function addAssociation(parent: Element, id: string, type: string, source: string, target: string, slots: Record<string, string> = {}): Element {
  const a = add(parent, NS.rim, 'Association', {
    id,
    associationType: type,
    sourceObject: source,
    targetObject: target,
    objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association',
  });
  for (const [k, v] of Object.entries(slots)) addSlot(a, k, [v]);
  return a;
}

// ---------------------------------------------------------------- reading ebRIM

export function slotValues(e: Element, name: string): string[] {
  for (const slot of childElements(e, NS.rim, 'Slot')) {
    if (slot.getAttribute('name') !== name) continue;
    const list = child(slot, NS.rim, 'ValueList');
    return list ? childElements(list, NS.rim, 'Value').map((v) => text(v)) : [];
  }
  return [];
}

function localized(e: Element, local: 'Name' | 'Description'): string | undefined {
  const n = child(e, NS.rim, local);
  const ls = n ? child(n, NS.rim, 'LocalizedString') : undefined;
  return attr(ls, 'value');
}

function coded(c: Element): Coded {
  const codeSystem = slotValues(c, 'codingScheme')[0];
  const display = localized(c, 'Name');
  return { code: c.getAttribute('nodeRepresentation') ?? '', ...(codeSystem ? { codeSystem } : {}), ...(display ? { display } : {}) };
}

const VISIBILITY: VisibilityCode[] = ['MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'];

/** Values of a rim:Slot (its ValueList/Value children). */
function slotListValues(slot: Element): string[] {
  const out: string[] = [];
  for (let l = slot.firstChild; l; l = l.nextSibling) {
    if (l.nodeType !== 1 || (l as Element).localName !== 'ValueList' || (l as Element).namespaceURI !== NS.rim) continue;
    for (let v = l.firstChild; v; v = v.nextSibling) {
      if (v.nodeType === 1 && (v as Element).localName === 'Value' && (v as Element).namespaceURI === NS.rim) out.push(text(v));
    }
    break;
  }
  return out;
}

/**
 * Reads an ExtrinsicObject into its stored form (sandbox) — exact inverse of addExtrinsicObject.
 * One walk over the children (a search answer holds dozens of entries of ~40 elements each).
 */
export function readEntryMetadata(eo: Element): EntryMetadata {
  const slots = new Map<string, string[]>();
  const byScheme = new Map<string, Element[]>();
  const externalIds = new Map<string, string>();
  let name: string | undefined;
  let description: string | undefined;
  let version: string | undefined;
  for (let n = eo.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue;
    const c = n as Element;
    if (c.namespaceURI !== NS.rim) continue;
    switch (c.localName) {
      case 'Slot': {
        const slotName = c.getAttribute('name') ?? '';
        if (!slots.has(slotName)) slots.set(slotName, slotListValues(c));
        break;
      }
      case 'Classification': {
        const scheme = c.getAttribute('classificationScheme') ?? '';
        const list = byScheme.get(scheme);
        if (list) list.push(c);
        else byScheme.set(scheme, [c]);
        break;
      }
      case 'ExternalIdentifier': {
        const scheme = c.getAttribute('identificationScheme') ?? '';
        if (!externalIds.has(scheme)) externalIds.set(scheme, c.getAttribute('value') ?? '');
        break;
      }
      case 'Name':
        name ??= attr(child(c, NS.rim, 'LocalizedString'), 'value');
        break;
      case 'Description':
        description ??= attr(child(c, NS.rim, 'LocalizedString'), 'value');
        break;
      case 'VersionInfo':
        version ??= attr(c, 'versionName');
        break;
      default:
        break;
    }
  }
  const one = (slotName: string): string | undefined => slots.get(slotName)?.[0];
  const schemeOf = (scheme: string): Element[] => byScheme.get(scheme) ?? [];
  const first = (scheme: string): Coded | undefined => {
    const c = schemeOf(scheme)[0];
    return c ? coded(c) : undefined;
  };
  const size = one('size');
  const m: EntryMetadata = {
    entryUUID: eo.getAttribute('id') ?? '',
    uniqueId: externalIds.get(XDS.docUniqueId) ?? '',
    patientCx: externalIds.get(XDS.docPatientId) ?? '',
    title: name ?? '',
    mimeType: eo.getAttribute('mimeType') ?? 'application/octet-stream',
    typeCode: first(XDS.typeCode) ?? { code: '' },
    classCode: first(XDS.classCode) ?? { code: '' },
    formatCode: first(XDS.formatCode) ?? { code: '' },
    healthcareFacilityTypeCode: first(XDS.healthcareFacilityTypeCode) ?? { code: '' },
    practiceSettingCode: first(XDS.practiceSettingCode) ?? { code: '' },
    eventCodes: schemeOf(XDS.eventCodeList).map(coded),
    confidentialityCodes: schemeOf(XDS.confidentialityCode).map(coded),
    status: statusFromUrn(eo.getAttribute('status') ?? undefined),
    creationTime: one('creationTime') ?? '',
    languageCode: one('languageCode') ?? 'fr-FR',
    authors: schemeOf(XDS.docAuthor).map((c) => {
      const person = slotValues(c, 'authorPerson')[0];
      const role = slotValues(c, 'authorRole')[0];
      const specialty = slotValues(c, 'authorSpecialty')[0];
      return { institutions: slotValues(c, 'authorInstitution'), ...(person ? { person } : {}), ...(role ? { role } : {}), ...(specialty ? { specialty } : {}) };
    }),
  };
  const opt: Partial<EntryMetadata> = {
    logicalId: attr(eo, 'lid'),
    version,
    comments: description,
    repositoryUniqueId: one('repositoryUniqueId'),
    serviceStartTime: one('serviceStartTime'),
    serviceStopTime: one('serviceStopTime'),
    submissionTime: one('submissionTime'),
    legalAuthenticator: one('legalAuthenticator'),
    sourcePatientId: one('sourcePatientId'),
    size: size !== undefined && /^\d+$/.test(size) ? Number(size) : undefined,
    hash: one('hash'),
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined) (m as unknown as Record<string, unknown>)[k] = v;
  return m;
}

/** Typed entries from a RegistryObjectList (ITI-18 LeafClass response), RPLC links resolved. */
export function parseDocumentEntries(root: Element | Document): DmpDocumentEntry[] {
  // SOAP Body → AdhocQueryResponse → RegistryObjectList by path; a full-tree search otherwise.
  const response = child(root, NS.query, 'AdhocQueryResponse');
  const list = (response ? child(response, NS.rim, 'RegistryObjectList') : undefined) ?? descendants(root, NS.rim, 'RegistryObjectList')[0];
  if (!list) return [];
  const replacedBy = new Map<string, string>();
  const replaces = new Map<string, string>();
  for (const a of childElements(list, NS.rim, 'Association')) {
    if (a.getAttribute('associationType') !== XDS.rplc) continue;
    const src = a.getAttribute('sourceObject') ?? '';
    const tgt = a.getAttribute('targetObject') ?? '';
    replacedBy.set(tgt, src);
    replaces.set(src, tgt);
  }
  return childElements(list, NS.rim, 'ExtrinsicObject').map((eo) => toEntry(readEntryMetadata(eo), replacedBy, replaces));
}

export function toEntry(m: EntryMetadata, replacedBy = new Map<string, string>(), replaces = new Map<string, string>()): DmpDocumentEntry {
  const visibility = m.confidentialityCodes
    .filter((c) => c.codeSystem === VISIBILITY_CODE_SYSTEM && (VISIBILITY as string[]).includes(c.code))
    .map((c) => c.code as VisibilityCode);
  const authors: DmpAuthor[] = m.authors.map((a) => ({
    institutions: a.institutions.map(parseXon),
    ...(a.person ? { person: parseXcn(a.person) } : {}),
    ...(a.role ? { role: a.role } : {}),
    ...(a.specialty ? { specialty: a.specialty } : {}),
  }));
  const e: DmpDocumentEntry = {
    entryUUID: m.entryUUID,
    uniqueId: m.uniqueId,
    repositoryUniqueId: m.repositoryUniqueId ?? '',
    patientId: m.patientCx,
    title: m.title,
    mimeType: m.mimeType,
    typeCode: m.typeCode,
    classCode: m.classCode,
    formatCode: m.formatCode,
    healthcareFacilityTypeCode: m.healthcareFacilityTypeCode,
    practiceSettingCode: m.practiceSettingCode,
    eventCodes: m.eventCodes ?? [],
    confidentialityCodes: m.confidentialityCodes,
    visibility,
    availabilityStatus: m.status,
    authors,
    languageCode: m.languageCode,
    patientAuthored: m.classCode.code === '90',
  };
  const opt: Partial<DmpDocumentEntry> = {
    logicalId: m.logicalId,
    version: m.version,
    comments: m.comments,
    creationTime: dtmToIso(m.creationTime),
    serviceStartTime: dtmToIso(m.serviceStartTime),
    serviceStopTime: dtmToIso(m.serviceStopTime),
    submissionTime: dtmToIso(m.submissionTime),
    organisation: authors[0]?.institutions[0]?.name,
    legalAuthenticator: m.legalAuthenticator ? parseXcn(m.legalAuthenticator) : undefined,
    size: m.size,
    hash: m.hash,
    replacedBy: replacedBy.get(m.entryUUID),
    replaces: replaces.get(m.entryUUID),
  };
  for (const [k, v] of Object.entries(opt)) if (v !== undefined) (e as unknown as Record<string, unknown>)[k] = v;
  return e;
}

export interface RegistryErrorInfo {
  errorCode: string;
  codeContext: string;
  severity: string;
}

/** RegistryErrorList of an rs:RegistryResponse / query:AdhocQueryResponse / RetrieveDocumentSetResponse. */
export function readRegistryErrors(root: Element | Document): { status: string; errors: RegistryErrorInfo[] } {
  // Where the transactions put it (Body/RegistryResponse, Body/AdhocQueryResponse,
  // Body/RetrieveDocumentSetResponse/RegistryResponse) without walking a large answer; else search.
  const retrieve = child(root, NS.xds, 'RetrieveDocumentSetResponse');
  const direct =
    child(root, NS.rs, 'RegistryResponse') ?? child(root, NS.query, 'AdhocQueryResponse') ?? (retrieve ? child(retrieve, NS.rs, 'RegistryResponse') : undefined);
  const resp = direct ?? descendants(root, NS.rs, 'RegistryResponse')[0] ?? descendants(root, NS.query, 'AdhocQueryResponse')[0];
  const status = resp?.getAttribute('status') ?? '';
  const errorList = direct ? child(direct, NS.rs, 'RegistryErrorList') : undefined;
  const errorEls = direct ? (errorList ? childElements(errorList, NS.rs, 'RegistryError') : []) : descendants(root, NS.rs, 'RegistryError');
  const errors = errorEls.map((e) => ({
    errorCode: e.getAttribute('errorCode') ?? 'XDSError',
    codeContext: e.getAttribute('codeContext') ?? '',
    severity: e.getAttribute('severity') ?? XDS.severityError,
  }));
  return { status, errors };
}

export function addRegistryErrorList(parent: Element, errors: { code: string; context: string }[]): void {
  if (!errors.length) return;
  const list = add(parent, NS.rs, 'RegistryErrorList', { highestSeverity: XDS.severityError });
  for (const e of errors) add(list, NS.rs, 'RegistryError', { errorCode: e.code, codeContext: e.context, severity: XDS.severityError, location: '' });
}

// ---------------------------------------------------------------- stored query values

export const GET_ASSOCIATIONS = 'urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155';

/** One stored-query literal: 'value' with quotes doubled (ITI TF-2a §3.18.4.1.2.3.5). */
export function queryString(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

export function queryList(values: string[]): string {
  return `(${values.map(queryString).join(',')})`;
}

/** Parses a stored-query value: 'x', ('x','y') or a bare number. */
export function parseQueryValue(raw: string): string[] {
  let s = raw.trim();
  if (s.startsWith('(') && s.endsWith(')')) s = s.slice(1, -1);
  const out: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ' || s[i] === ',') i++;
    if (i >= s.length) break;
    if (s[i] === "'") {
      let v = '';
      i++;
      for (;;) {
        if (i >= s.length) break;
        if (s[i] === "'") {
          if (s[i + 1] === "'") {
            v += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += s[i];
        i++;
      }
      out.push(v);
    } else {
      const end = s.indexOf(',', i);
      out.push(s.slice(i, end < 0 ? s.length : end).trim());
      i = end < 0 ? s.length : end;
    }
  }
  return out;
}
