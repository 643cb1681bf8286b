import { randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { GET_ASSOCIATIONS, XDS, addAssociation, addExtrinsicObject, cxToIns, parseQueryValue, slotValues, statusToUrn, type EntryMetadata } from '../xds';
import { NS, add, attr, child, newDocument, serialize } from '../xml';
import { REPOSITORY_ID, XdsFailure, type Reply, type TransactionRequest } from './context';
import { checkRead, superseded, visibleTo } from './rules';
import type { StoredEntry } from './store';

function queryResponse(body: Element, objects: (list: Element) => void): Element {
  const resp = add(body, NS.query, 'AdhocQueryResponse', { status: XDS.responseSuccess });
  objects(add(resp, NS.rim, 'RegistryObjectList'));
  return resp;
}

// Serialised ExtrinsicObject per stored entry: building and serialising ~50 entries per query
// dominated the search time. Keyed by the metadata object and checked against its JSON, so any
// change (RPLC, ITI-57, a test editing the store) rebuilds it.
const eoCache = new WeakMap<EntryMetadata, { json: string; xml: string }>();
function serializedEntry(e: StoredEntry): string {
  const json = JSON.stringify(e.meta);
  const hit = eoCache.get(e.meta);
  if (hit && hit.json === json) return hit.xml;
  const doc = newDocument(NS.rim, 'rim:RegistryObjectList');
  const xml = serialize(addExtrinsicObject(doc.documentElement!, { ...e.meta, repositoryUniqueId: e.meta.repositoryUniqueId ?? REPOSITORY_ID }));
  eoCache.set(e.meta, { json, xml });
  return xml;
}

/**
 * Entries to splice into the response: a comment marker stands for them in the DOM and is replaced
 * by the cached fragments after serialisation. Fragments are our own serializer's output (each
 * declares its namespaces), never outside text.
 */
function entriesResponse(reply: Reply, hits: StoredEntry[]): void {
  queryResponse(reply.out, (list) => {
    const marker = `entries-${randomUUID()}`;
    list.appendChild(list.ownerDocument!.createComment(marker));
    reply.splice = { marker, fragments: hits.map(serializedEntry) };
  });
}

/** The response document serialised, with the query's spliced entries in place of their marker. */
export function serializeReply(doc: Parameters<typeof serialize>[0], reply: Reply): string {
  const xml = serialize(doc);
  const splice = reply.splice;
  if (!splice) return xml;
  const token = `<!--${splice.marker}-->`;
  const at = xml.indexOf(token);
  if (at < 0) throw new Error('marqueur de réponse introuvable');
  return xml.slice(0, at) + splice.fragments.join('') + xml.slice(at + token.length);
}

/** TD3.1 (ITI-18 Registry Stored Query): FindDocuments, GetDocuments, GetAssociations. */
export function handleStoredQuery({ ctx, payload, r, reply }: TransactionRequest): void {
  const { store } = ctx;
  const q = child(payload, NS.rim, 'AdhocQuery');
  const id = attr(q, 'id');
  const slot = (name: string): string[] => (q ? slotValues(q, name).flatMap(parseQueryValue) : []);
  if (id === XDS.findDocuments) {
    const pid = slot('$XDSDocumentEntryPatientId')[0];
    const statuses = slot('$XDSDocumentEntryStatus');
    if (!pid || !statuses.length) throw new XdsFailure('XDSStoredQueryParamNumber', 'Paramètres $XDSDocumentEntryPatientId et $XDSDocumentEntryStatus requis');
    const ins = cxToIns(pid).ins;
    if (ins !== r.ins) throw new XdsFailure('XDSPatientIdDoesNotMatch', "L'INS de la requête diffère de celui du VIHF");
    checkRead(store, r);
    const classes = slot('$XDSDocumentEntryClassCode').map((c) => c.split('^')[0]);
    const types = slot('$XDSDocumentEntryTypeCode').map((c) => c.split('^')[0]);
    const from = slot('$XDSDocumentEntryCreationTimeFrom')[0];
    const to = slot('$XDSDocumentEntryCreationTimeTo')[0];
    const hits = store.state.entries.filter(
      (e) =>
        cxToIns(e.meta.patientCx).ins === ins &&
        statuses.includes(statusToUrn(e.meta.status)) &&
        visibleTo(e, r) &&
        (!classes.length || classes.includes(e.meta.classCode.code)) &&
        (!types.length || types.includes(e.meta.typeCode.code)) &&
        (!from || e.meta.creationTime >= from) &&
        (!to || e.meta.creationTime < to) &&
        // FindDocuments lists each document once, at its current metadata version;
        // older versions stay reachable by entryUUID (GetDocuments).
        !superseded(store, e),
    );
    entriesResponse(reply, hits);
    return;
  }
  if (id === XDS.getDocuments) {
    const uuids = slot('$XDSDocumentEntryEntryUUID');
    if (!uuids.length) throw new XdsFailure('XDSStoredQueryParamNumber', 'Paramètre $XDSDocumentEntryEntryUUID requis');
    checkRead(store, r);
    const hits = uuids.map((u) => store.byEntryUUID(u)).filter((e): e is StoredEntry => !!e && cxToIns(e.meta.patientCx).ins === r.ins && visibleTo(e, r));
    entriesResponse(reply, hits);
    return;
  }
  if (id === GET_ASSOCIATIONS) {
    const uuids = new Set(slot('$uuid'));
    checkRead(store, r);
    const hits = store.state.associations.filter((a) => uuids.has(a.source) || uuids.has(a.target));
    queryResponse(reply.out, (list) => hits.forEach((a) => addAssociation(list, a.id, a.type, a.source, a.target)));
    return;
  }
  throw new XdsFailure('XDSUnknownStoredQuery', `Requête stockée inconnue : ${id ?? ''}`);
}
