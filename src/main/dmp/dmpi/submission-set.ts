import { randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import type { DmpRequestContext } from '../types';
import { XDS, addClassification, addExternalIdentifier, addSlot, formatXcn, formatXon, type EntryMetadata } from '../xds';
import { toXdsDtm } from '../../../shared/time';
import { NS, add } from '../xml';
import type { DmpiLink } from './call';

/** 2.25 + UUID as an integer: a globally unique OID without an allocated arc (ITU-T X.667). */
export function oidUnique(): string {
  return `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}`;
}

/** XCN of the professional the request is made for (RPPS when known). */
export function authorXcn(ctx: DmpRequestContext): string {
  return formatXcn({ id: ctx.user.rpps ?? ctx.user.id, family: ctx.user.name, idRoot: ctx.user.rpps ? '1.2.250.1.71.4.2.1' : undefined });
}

/** The RegistryPackage every ITI-41 and ITI-57 submission carries. */
export function addSubmissionSet(link: DmpiLink, list: Element, ctx: DmpRequestContext, patientCx: string, ssId: string, ssUniqueId: string, contentType: EntryMetadata['classCode']): void {
  const rp = add(list, NS.rim, 'RegistryPackage', { id: ssId, objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage' });
  addSlot(rp, 'submissionTime', [toXdsDtm(link.clock())]);
  const nameEl = add(rp, NS.rim, 'Name');
  add(nameEl, NS.rim, 'LocalizedString', { value: 'Lot de soumission', charset: 'UTF-8', 'xml:lang': 'fr-FR' });
  const author = add(rp, NS.rim, 'Classification', {
    id: `${ssId}-author`,
    classificationScheme: XDS.ssAuthor,
    classifiedObject: ssId,
    nodeRepresentation: '',
    objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
  });
  addSlot(author, 'authorPerson', [authorXcn(ctx)]);
  addSlot(author, 'authorInstitution', [formatXon(link.vihf.structureId, link.vihf.structureId)]);
  addClassification(rp, XDS.ssContentTypeCode, ssId, `${ssId}-ct`, contentType);
  addExternalIdentifier(rp, XDS.ssUniqueId, ssId, `${ssId}-uid`, ssUniqueId, 'XDSSubmissionSet.uniqueId');
  addExternalIdentifier(rp, XDS.ssSourceId, ssId, `${ssId}-src`, link.sourceId ?? '1.2.250.1.213.1.1.9', 'XDSSubmissionSet.sourceId');
  addExternalIdentifier(rp, XDS.ssPatientId, ssId, `${ssId}-pid`, patientCx, 'XDSSubmissionSet.patientId');
  add(list, NS.rim, 'Classification', {
    id: `${ssId}-class`,
    classifiedObject: ssId,
    classificationNode: XDS.submissionSetNode,
    objectType: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification',
  });
}
