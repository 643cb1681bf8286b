import { newContentId, type MimePart } from '../mtom';
import { XDS, addRegistryErrorList, cxToIns } from '../xds';
import { NS, add, child, childElements, text } from '../xml';
import { REPOSITORY_ID, type TransactionRequest } from './context';
import { checkRead, visibleTo } from './rules';

/** TD3.2 (ITI-43 RetrieveDocumentSet): the documents' bytes as MTOM parts; unknown ones as errors. */
export function handleRetrieve({ ctx, payload, r, reply }: TransactionRequest): MimePart[] {
  const { store } = ctx;
  checkRead(store, r);
  const resp = add(reply.out, NS.xds, 'RetrieveDocumentSetResponse');
  const rr = add(resp, NS.rs, 'RegistryResponse', { status: XDS.responseSuccess });
  const parts: MimePart[] = [];
  const errors: { code: string; context: string }[] = [];
  for (const dr of childElements(payload, NS.xds, 'DocumentRequest')) {
    const uid = text(child(dr, NS.xds, 'DocumentUniqueId'));
    const repo = text(child(dr, NS.xds, 'RepositoryUniqueId'));
    const e = store.byUniqueId(uid);
    if (repo !== REPOSITORY_ID) {
      errors.push({ code: 'XDSUnknownRepositoryId', context: repo });
      continue;
    }
    if (!e || cxToIns(e.meta.patientCx).ins !== r.ins || !visibleTo(e, r)) {
      errors.push({ code: 'XDSDocumentUniqueIdError', context: uid });
      continue;
    }
    const cid = newContentId();
    const d = add(resp, NS.xds, 'DocumentResponse');
    add(d, NS.xds, 'RepositoryUniqueId', {}, REPOSITORY_ID);
    add(d, NS.xds, 'DocumentUniqueId', {}, uid);
    add(d, NS.xds, 'mimeType', {}, e.meta.mimeType);
    add(add(d, NS.xds, 'Document'), NS.xop, 'Include', { href: `cid:${encodeURIComponent(cid)}` });
    parts.push({ contentId: cid, contentType: e.meta.mimeType, data: store.content(e) });
  }
  if (errors.length) {
    rr.setAttribute('status', parts.length ? XDS.responsePartial : XDS.responseFailure);
    addRegistryErrorList(rr, errors);
  }
  return parts;
}
