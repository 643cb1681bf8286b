import { createHash } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { DmpError } from './errors';
import { NS, attr, child, childElements, parseXml, path, text } from './xml';
import { formatXcn, formatXon, insToCx, type EntryMetadata } from './xds';
import { hl7ToEpoch, toXdsDtm } from '../../shared/time';
import { isInsOid } from '../../shared/ins/oids';
import { VISIBILITY_CODE_SYSTEM, type AvailabilityStatus, type Coded, type VisibilityCode } from './types';

/** INS OIDs (DOMAIN.md §4): NIR, NIA, test NIR, demo. */

const CLASS_SYSTEM = '1.2.250.1.213.1.1.4.1';
const FORMAT_SYSTEM = '1.3.6.1.4.1.19376.1.2.3';
const LOINC = '2.16.840.1.113883.6.1';

const CLASS_DISPLAY: Record<string, string> = {
  '10': 'Compte rendu',
  '11': 'Synthèse',
  '31': 'Imagerie médicale',
  '90': 'Expression personnelle du patient',
};

/** DOMAIN.md §5: DMP classCode from the LOINC typeCode. */
const CLASS_BY_TYPE: Record<string, string> = {
  '11490-0': '10',
  '18761-7': '11',
  '34874-8': '10',
  '15507-7': '10',
  '18748-4': '31',
  '11502-2': '10',
};

/** Structured templates first (a level-3 document may carry a PDF copy), level 1 last. */
const FORMAT_BY_TEMPLATE: [string, string][] = [
  ['1.2.250.1.213.1.1.1.29', 'urn:asip:ci-sis:ldl-ses:2017'],
  ['1.2.250.1.213.1.1.1.21', 'urn:asip:ci-sis:ldl-ees:2017'],
  ['1.2.250.1.213.1.1.1.45', 'urn:ihe:rad:CDA:ImagingReportStructuredHeadings:2013'],
  ['1.3.6.1.4.1.19376.1.3.3', 'urn:ihe:lab:xd-lab:2008'],
  ['1.3.6.1.4.1.19376.1.2.20', 'urn:ihe:iti:xds-sd:pdf:2008'],
];

export interface CdaMetadata {
  ins: string;
  insOid: string;
  ipp?: { id: string; root: string };
  uniqueId: string;
  title: string;
  typeCode: Coded;
  classCode: Coded;
  formatCode: Coded;
  healthcareFacilityTypeCode: Coded;
  practiceSettingCode: Coded;
  eventCodes: Coded[];
  creationTime: string;
  serviceStartTime?: string;
  serviceStopTime?: string;
  legalAuthenticator?: string;
  authors: EntryMetadata['authors'];
  languageCode: string;
  /** Level 1: PDF in nonXMLBody. */
  level1: boolean;
}

function codedOf(e: Element | undefined): Coded | undefined {
  const code = attr(e, 'code');
  if (!code) return undefined;
  const codeSystem = attr(e, 'codeSystem');
  const display = attr(e, 'displayName');
  return { code, ...(codeSystem ? { codeSystem } : {}), ...(display ? { display } : {}) };
}

function h(e: Element | undefined, ...locals: string[]): Element | undefined {
  return path(e, ...locals.map((l) => [NS.hl7, l] as [string, string]));
}

function personXcn(entity: Element | undefined, personLocal: string): string | undefined {
  if (!entity) return undefined;
  const id = child(entity, NS.hl7, 'id');
  const name = h(entity, personLocal, 'name');
  const family = text(name ? child(name, NS.hl7, 'family') : undefined);
  const given = text(name ? child(name, NS.hl7, 'given') : undefined);
  const ext = attr(id, 'extension');
  if (!ext && !family) return undefined;
  return formatXcn({ id: ext, family, given, idRoot: attr(id, 'root') });
}

function orgXon(org: Element | undefined): string | undefined {
  const name = text(org ? child(org, NS.hl7, 'name') : undefined);
  if (!name) return undefined;
  const id = org ? child(org, NS.hl7, 'id') : undefined;
  return formatXon(name, attr(id, 'extension'), attr(id, 'root'));
}

/** A CDA time (any offset) as the XDS DTM in UTC the registry expects. */
function dtm(ts: string | undefined): string | undefined {
  const ms = hl7ToEpoch(ts);
  return ms === null ? undefined : toXdsDtm(new Date(ms));
}

/** Reads the CDA R2 header into XDS metadata (DOMAIN.md §5). Throws a French DmpError. */
export function readCdaMetadata(cda: Buffer | string): CdaMetadata {
  const doc = parseXml(cda, { what: 'document CDA', maxBytes: 50 * 1024 * 1024 });
  const root = doc.documentElement!;
  if (root.namespaceURI !== NS.hl7 || root.localName !== 'ClinicalDocument') {
    throw new DmpError('DMP_CDA_INVALID', "Le fichier n'est pas un document CDA R2 (élément ClinicalDocument attendu).");
  }
  const patientRole = h(root, 'recordTarget', 'patientRole');
  const ids = patientRole ? childElements(patientRole, NS.hl7, 'id') : [];
  const insId = ids.find((i) => isInsOid(attr(i, 'root') ?? ''));
  const ins = attr(insId, 'extension');
  if (!insId || !ins) {
    throw new DmpError('DMP_CDA_INVALID', "Le document CDA ne porte pas d'INS du patient (recordTarget/patientRole/id avec un OID INS) : il ne peut pas être envoyé au DMP.");
  }
  const ippId = ids.find((i) => i !== insId && attr(i, 'extension'));
  const docId = child(root, NS.hl7, 'id');
  const idRoot = attr(docId, 'root');
  if (!idRoot) throw new DmpError('DMP_CDA_INVALID', "Le document CDA n'a pas d'identifiant (ClinicalDocument/id).");
  const idExt = attr(docId, 'extension');
  const typeCode = codedOf(child(root, NS.hl7, 'code'));
  if (!typeCode) throw new DmpError('DMP_CDA_INVALID', "Le document CDA n'a pas de type (ClinicalDocument/code).");
  const creation = dtm(attr(child(root, NS.hl7, 'effectiveTime'), 'value'));
  if (!creation) throw new DmpError('DMP_CDA_INVALID', "La date du document CDA (ClinicalDocument/effectiveTime) est absente ou invalide.");

  const templates = childElements(root, NS.hl7, 'templateId').map((t) => attr(t, 'root') ?? '');
  const level1 = !!h(root, 'component', 'nonXMLBody');
  const structured = FORMAT_BY_TEMPLATE.find(([t]) => templates.includes(t) && (!level1 || t === '1.3.6.1.4.1.19376.1.2.20'));
  const formatCode = level1 ? 'urn:ihe:iti:xds-sd:pdf:2008' : (structured?.[1] ?? 'urn:ihe:iti:xds:2017:mimeTypeSufficient');

  const classCode = typeCode.code === '90' ? '90' : (CLASS_BY_TYPE[typeCode.code] ?? '10');
  const encounter = h(root, 'componentOf', 'encompassingEncounter');
  const hcft = codedOf(h(encounter, 'location', 'healthCareFacility', 'code')) ?? { code: 'SA01', codeSystem: '1.2.250.1.71.4.2.4', display: 'Etablissement public de santé' };
  const serviceEvent = h(root, 'documentationOf', 'serviceEvent');
  const legal = h(root, 'legalAuthenticator', 'assignedEntity');
  const practice =
    codedOf(h(serviceEvent, 'performer', 'assignedEntity', 'representedOrganization', 'standardIndustryClassCode')) ??
    codedOf(h(legal, 'representedOrganization', 'standardIndustryClassCode')) ?? { code: 'ETABLISSEMENT', codeSystem: '1.2.250.1.213.1.1.4.9', display: 'Etablissement de santé' };
  const eff = serviceEvent ? child(serviceEvent, NS.hl7, 'effectiveTime') : undefined;
  const start = dtm(attr(h(eff, 'low'), 'value'));
  const stop = dtm(attr(h(eff, 'high'), 'value'));
  const eventCode = codedOf(serviceEvent ? child(serviceEvent, NS.hl7, 'code') : undefined);

  const authors = childElements(root, NS.hl7, 'author').map((a) => {
    const assigned = child(a, NS.hl7, 'assignedAuthor');
    const person = personXcn(assigned, 'assignedPerson');
    const inst = orgXon(h(assigned, 'representedOrganization'));
    const spec = codedOf(h(assigned, 'code'));
    return {
      institutions: inst ? [inst] : [],
      ...(person ? { person } : {}),
      ...(spec ? { specialty: `${spec.code}^${spec.display ?? ''}^${spec.codeSystem ?? ''}` } : {}),
    };
  });
  const title = text(child(root, NS.hl7, 'title')) || typeCode.display || 'Document';
  const lang = attr(child(root, NS.hl7, 'languageCode'), 'code') ?? 'fr-FR';
  const legalXcn = personXcn(legal, 'assignedPerson');

  return {
    ins,
    insOid: attr(insId, 'root')!,
    ...(ippId ? { ipp: { id: attr(ippId, 'extension')!, root: attr(ippId, 'root') ?? '' } } : {}),
    uniqueId: idExt ? `${idRoot}^${idExt}` : idRoot,
    title,
    typeCode: { ...typeCode, codeSystem: typeCode.codeSystem ?? LOINC },
    classCode: { code: classCode, codeSystem: CLASS_SYSTEM, display: CLASS_DISPLAY[classCode] ?? classCode },
    formatCode: { code: formatCode, codeSystem: FORMAT_SYSTEM, display: formatCode },
    healthcareFacilityTypeCode: hcft,
    practiceSettingCode: practice,
    eventCodes: eventCode ? [eventCode] : [],
    creationTime: creation,
    ...(start ? { serviceStartTime: start } : {}),
    ...(stop ? { serviceStopTime: stop } : {}),
    ...(legalXcn ? { legalAuthenticator: legalXcn } : {}),
    authors,
    languageCode: lang,
    level1,
  };
}

export function visibilityCodes(v: VisibilityCode[] = []): Coded[] {
  const display: Record<VisibilityCode, string> = {
    MASQUE_PS: 'Document masqué aux professionnels de santé',
    INVISIBLE_PATIENT: 'Document non visible par le patient',
    INVISIBLE_REPRESENTANTS_LEGAUX: 'Document non visible par les représentants légaux du patient',
  };
  return v.map((code) => ({ code, codeSystem: VISIBILITY_CODE_SYSTEM, display: display[code] }));
}

/** XDS DocumentEntry metadata for a CDA: header-derived, plus hash/size of the exact bytes sent. */
export function cdaToEntryMetadata(
  cda: Buffer,
  meta: CdaMetadata,
  extra: { entryUUID: string; visibility?: VisibilityCode[]; status?: AvailabilityStatus; title?: string; repositoryUniqueId?: string; submissionTime?: string },
): EntryMetadata {
  const m: EntryMetadata = {
    entryUUID: extra.entryUUID,
    uniqueId: meta.uniqueId,
    patientCx: insToCx(meta.ins, meta.insOid),
    title: extra.title ?? meta.title,
    mimeType: 'text/xml',
    typeCode: meta.typeCode,
    classCode: meta.classCode,
    formatCode: meta.formatCode,
    healthcareFacilityTypeCode: meta.healthcareFacilityTypeCode,
    practiceSettingCode: meta.practiceSettingCode,
    eventCodes: meta.eventCodes,
    confidentialityCodes: [{ code: 'N', codeSystem: '2.16.840.1.113883.5.25', display: 'Normal' }, ...visibilityCodes(extra.visibility)],
    status: extra.status ?? 'approved',
    creationTime: meta.creationTime,
    languageCode: meta.languageCode,
    authors: meta.authors,
    size: cda.length,
    hash: createHash('sha1').update(cda).digest('hex'),
  };
  if (meta.serviceStartTime) m.serviceStartTime = meta.serviceStartTime;
  if (meta.serviceStopTime) m.serviceStopTime = meta.serviceStopTime;
  if (meta.legalAuthenticator) m.legalAuthenticator = meta.legalAuthenticator;
  if (meta.ipp) m.sourcePatientId = `${meta.ipp.id}^^^&${meta.ipp.root}&ISO^PI`;
  if (extra.repositoryUniqueId) m.repositoryUniqueId = extra.repositoryUniqueId;
  if (extra.submissionTime) m.submissionTime = extra.submissionTime;
  return m;
}
