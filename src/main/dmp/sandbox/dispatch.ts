import type { Element } from '@xmldom/xmldom';
import type { MimePart } from '../mtom';
import { TD02_ACTION, TD02_RESPONSE_ACTION } from '../hl7v3';
import { XDS, addRegistryErrorList } from '../xds';
import { NS, add, childElements } from '../xml';
import { Fault, XdsFailure, registryResponse, type Reply, type Requester, type SandboxContext, type TransactionRequest } from './context';
import { handleTd02, handleTd03 } from './td0-patient';
import { handleProvide } from './td2-provide';
import { handleStoredQuery } from './td3-query';
import { handleRetrieve } from './td3-retrieve';
import { handleUpdate } from './td3-update';

export const STORED_QUERY_ACTION = 'urn:ihe:iti:2007:RegistryStoredQuery';

interface Transaction {
  service: 'patients' | 'habilitations' | 'registry' | 'repository';
  responseAction: string;
  /** Local name the Body's first element must have (TD0.x read the Body as a whole). */
  payload?: string;
  /** Answered as MTOM (ITI-41, ITI-43), even when the XDS answer is a failure. */
  mtom: boolean;
  handle(t: TransactionRequest): MimePart[] | void;
}

/** One row per transaction the sandbox serves, by wsa:Action. */
const TRANSACTIONS: Record<string, Transaction> = {
  [TD02_ACTION]: { service: 'patients', responseAction: TD02_RESPONSE_ACTION, mtom: false, handle: handleTd02 },
  'urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorization': {
    service: 'habilitations',
    responseAction: 'urn:si-dmp-habilitations:HabilitationsEndPoint:setAuthorizationResponse',
    mtom: false,
    handle: handleTd03,
  },
  [STORED_QUERY_ACTION]: { service: 'registry', responseAction: 'urn:ihe:iti:2007:RegistryStoredQueryResponse', payload: 'AdhocQueryRequest', mtom: false, handle: handleStoredQuery },
  'urn:ihe:iti:2010:UpdateDocumentSet': { service: 'registry', responseAction: 'urn:ihe:iti:2010:UpdateDocumentSetResponse', payload: 'SubmitObjectsRequest', mtom: false, handle: handleUpdate },
  'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b': {
    service: 'repository',
    responseAction: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse',
    payload: 'ProvideAndRegisterDocumentSetRequest',
    mtom: true,
    handle: (t) => {
      handleProvide(t);
      return [];
    },
  },
  'urn:ihe:iti:2007:RetrieveDocumentSet': { service: 'repository', responseAction: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse', payload: 'RetrieveDocumentSetRequest', mtom: true, handle: handleRetrieve },
};

export const SERVICES = ['patients', 'habilitations', 'registry', 'repository'];

export function responseActionFor(action: string): string {
  return TRANSACTIONS[action]?.responseAction ?? `${action}Response`;
}

/**
 * Runs the transaction named by the action on the service it was posted to. Returns the MTOM parts
 * of the answer, or undefined for a plain SOAP answer. XDS failures become an error-list response.
 */
export function dispatch(ctx: SandboxContext, action: string, service: string, body: Element, r: Requester, parts: Map<string, MimePart>, reply: Reply): MimePart[] | undefined {
  const t = TRANSACTIONS[action];
  if (!t || t.service !== service) throw new Fault('ActionNotSupported', `Action ${action} non servie par ${service}`);
  const payload = childElements(body)[0];
  if (!payload) throw new Fault('CorpsVide', 'Corps SOAP vide');
  if (t.payload && payload.localName !== t.payload) throw new Fault('RequeteInvalide', `${t.payload} attendue`);
  try {
    const mtomParts = t.handle({ ctx, body, payload, r, parts, reply });
    return t.mtom ? (mtomParts ?? []) : undefined;
  } catch (e) {
    if (!(e instanceof XdsFailure)) throw e;
    const { out } = reply;
    while (out.firstChild) out.removeChild(out.firstChild);
    delete reply.splice;
    if (action === STORED_QUERY_ACTION) {
      const resp = add(out, NS.query, 'AdhocQueryResponse', { status: XDS.responseFailure });
      addRegistryErrorList(resp, [{ code: e.errorCode, context: e.context }]);
    } else {
      registryResponse(out, [{ code: e.errorCode, context: e.context }]);
    }
    return t.mtom ? [] : undefined;
  }
}
