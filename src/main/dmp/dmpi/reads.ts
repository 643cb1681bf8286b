import { DmpError } from '../errors';
import { addTd02Request, readTd02Response } from '../hl7v3';
import { xopContent } from '../mtom';
import type { DmpDocumentEntry, DmpRequestContext, DmpStatus, FindDocumentsQuery, RetrievedDocument } from '../types';
import { SIGNATURE_DOC } from '../xades';
import { GET_ASSOCIATIONS, XDS, insToCx, parseDocumentEntries, queryList, queryString, statusToUrn } from '../xds';
import { toXdsDtm } from '../../../shared/time';
import { NS, add, child, descendants, text } from '../xml';
import { ACTIONS, storedQuery, throwRegistryErrors, type DmpiLink } from './call';

/** The submission-set signature document travels as an XDS entry: never shown as a clinical document. */
function isSignatureEntry(e: Pick<DmpDocumentEntry, 'classCode'>): boolean {
  return e.classCode?.code === SIGNATURE_DOC.classCode.code;
}

/** TD0.2: does the patient have a DMP, and may this professional read it? */
export async function getStatus(link: DmpiLink, ctx: DmpRequestContext): Promise<DmpStatus> {
  const resp = await link.call(ctx, 'patients', ACTIONS.td02, (body) => addTd02Request(body, ctx.ins, link.insOid, link.vihf.lps.id, link.vihf.lps.nom, link.clock()), {
    idempotent: true,
    mtom: false,
  });
  return readTd02Response(resp.body);
}

/** TD0.3: the professional declares the patient's consent (adds an authorisation). */
export async function addAuthorization(link: DmpiLink, ctx: DmpRequestContext): Promise<void> {
  const resp = await link.call(ctx, 'habilitations', ACTIONS.td03, (body) => {
    const req = add(body, NS.hab, 'setAuthorizationRequest');
    add(req, NS.hab, 'action', {}, 'AJOUT');
  }, { idempotent: false, mtom: false });
  const status = text(descendants(resp.body, NS.hab, 'status')[0]);
  if (status !== 'OK') throw new DmpError('DMP_SOAP_FAULT', `Le DMP n'a pas confirmé l'ajout de l'autorisation d'accès (statut « ${status || 'absent'} »).`);
}

/** RPLC links are associations, not DocumentEntry attributes: fetched when a replaced entry is listed. */
async function withReplacementLinks(link: DmpiLink, ctx: DmpRequestContext, entries: DmpDocumentEntry[]): Promise<DmpDocumentEntry[]> {
  if (!entries.some((e) => e.availabilityStatus === 'deprecated')) return entries;
  const resp = await storedQuery(link.call, ctx, GET_ASSOCIATIONS, { $uuid: queryList(entries.map((e) => e.entryUUID)) });
  const byId = new Map(entries.map((e) => [e.entryUUID, e]));
  for (const a of descendants(resp.body, NS.rim, 'Association')) {
    if (a.getAttribute('associationType') !== XDS.rplc) continue;
    const src = byId.get(a.getAttribute('sourceObject') ?? '');
    const tgt = byId.get(a.getAttribute('targetObject') ?? '');
    if (src && tgt) {
      src.replaces = tgt.entryUUID;
      tgt.replacedBy = src.entryUUID;
    }
  }
  return entries;
}

/** TD3.1 (ITI-18 FindDocuments): the patient's document entries, signatures left out. */
export async function findDocuments(link: DmpiLink, ctx: DmpRequestContext, query: FindDocumentsQuery = {}): Promise<DmpDocumentEntry[]> {
  const statuses = query.statuses ?? ['approved', 'deprecated', 'archived'];
  const slots: Record<string, string> = {
    $XDSDocumentEntryPatientId: queryString(insToCx(ctx.ins, link.insOid)),
    $XDSDocumentEntryStatus: queryList(statuses.map(statusToUrn)),
  };
  if (query.classCodes?.length) slots['$XDSDocumentEntryClassCode'] = queryList(query.classCodes.map((c) => `${c}^^1.2.250.1.213.1.1.4.1`));
  if (query.typeCodes?.length) slots['$XDSDocumentEntryTypeCode'] = queryList(query.typeCodes.map((c) => `${c}^^2.16.840.1.113883.6.1`));
  if (query.creationFrom) slots['$XDSDocumentEntryCreationTimeFrom'] = toXdsDtm(query.creationFrom);
  if (query.creationTo) slots['$XDSDocumentEntryCreationTimeTo'] = toXdsDtm(query.creationTo);
  const resp = await storedQuery(link.call, ctx, XDS.findDocuments, slots);
  return withReplacementLinks(link, ctx, parseDocumentEntries(resp.body).filter((e) => !isSignatureEntry(e)));
}

/** TD3.1 (ITI-18 GetDocuments): entries by entryUUID (any version). */
export async function getDocuments(link: DmpiLink, ctx: DmpRequestContext, entryUUIDs: string[]): Promise<DmpDocumentEntry[]> {
  if (!entryUUIDs.length) return [];
  const resp = await storedQuery(link.call, ctx, XDS.getDocuments, { $XDSDocumentEntryEntryUUID: queryList(entryUUIDs) });
  return withReplacementLinks(link, ctx, parseDocumentEntries(resp.body).filter((e) => !isSignatureEntry(e)));
}

/** TD3.2 (ITI-43 RetrieveDocumentSet): one document's bytes, as an MTOM attachment. */
export async function retrieve(link: DmpiLink, ctx: DmpRequestContext, ref: { repositoryUniqueId: string; uniqueId: string }): Promise<RetrievedDocument> {
  const resp = await link.call(ctx, 'repository', ACTIONS.iti43, (body) => {
    const req = add(body, NS.xds, 'RetrieveDocumentSetRequest');
    const dr = add(req, NS.xds, 'DocumentRequest');
    add(dr, NS.xds, 'RepositoryUniqueId', {}, ref.repositoryUniqueId);
    add(dr, NS.xds, 'DocumentUniqueId', {}, ref.uniqueId);
  }, { idempotent: true, mtom: true });
  throwRegistryErrors(resp);
  const dr = descendants(resp.body, NS.xds, 'DocumentResponse').find((d) => text(child(d, NS.xds, 'DocumentUniqueId')) === ref.uniqueId);
  const docEl = dr ? child(dr, NS.xds, 'Document') : undefined;
  if (!dr || !docEl) throw new DmpError('XDSMissingDocument', "Le document demandé n'existe pas (ou plus) dans le DMP. Actualisez la liste des documents.");
  return {
    uniqueId: ref.uniqueId,
    repositoryUniqueId: text(child(dr, NS.xds, 'RepositoryUniqueId')) || ref.repositoryUniqueId,
    mimeType: text(child(dr, NS.xds, 'mimeType')) || 'application/octet-stream',
    content: xopContent(docEl, resp.parts),
  };
}
