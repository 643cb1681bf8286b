import { randomUUID } from 'node:crypto';
import type { Document, Element } from '@xmldom/xmldom';
import { DmpError, soapFaultError } from './errors';
import { parseContentType, parseMultipart, type MimePart } from './mtom';
import type { HttpResponse } from './transport';
import { NS, add, child, childElements, descendants, newDocument, parseXml, path, text } from './xml';

const parsedVihfs = new Map<string, Element>();

/**
 * SOAP 1.2 envelope with WS-Addressing (Action, MessageID, To) and the signed VIHF
 * in wsse:Security. Returns the document and its Body for the caller to fill.
 */
export function buildEnvelope(action: string, to: string, signedVihfXml: string): { doc: Document; body: Element } {
  const doc = newDocument(NS.soap, 'soap:Envelope');
  const env = doc.documentElement!;
  const header = add(env, NS.soap, 'Header');
  const act = add(header, NS.wsa, 'Action', {}, action);
  act.setAttributeNS(NS.soap, 'soap:mustUnderstand', 'true');
  add(header, NS.wsa, 'MessageID', {}, `urn:uuid:${randomUUID()}`);
  const toEl = add(header, NS.wsa, 'To', {}, to);
  toEl.setAttributeNS(NS.soap, 'soap:mustUnderstand', 'true');
  const security = add(header, NS.wsse, 'Security');
  security.setAttributeNS(NS.soap, 'soap:mustUnderstand', 'true');
  // The signed assertion is our own output; parsed then imported as a node, never spliced as text.
  // A token is reused for minutes (see dmpi/vihf-cache.ts): parse it once, import it per request.
  let vihf = parsedVihfs.get(signedVihfXml);
  if (!vihf) {
    vihf = parseXml(signedVihfXml, { what: 'jeton VIHF' }).documentElement!;
    if (parsedVihfs.size >= 64) parsedVihfs.delete(parsedVihfs.keys().next().value!);
    parsedVihfs.set(signedVihfXml, vihf);
  }
  security.appendChild(doc.importNode(vihf, true));
  const body = add(env, NS.soap, 'Body');
  return { doc, body };
}

export interface SoapResponse {
  doc: Document;
  body: Element;
  parts: Map<string, MimePart>;
}

/** Parses a SOAP 1.2 response (plain or MTOM), turning faults into DmpError. */
export function readSoapResponse(res: HttpResponse, maxBytes?: number): SoapResponse {
  const { type } = parseContentType(res.contentType || 'application/octet-stream');
  let xml: Buffer;
  let parts = new Map<string, MimePart>();
  if (type === 'multipart/related') {
    const mp = parseMultipart(res.contentType, res.body);
    xml = mp.root.data;
    parts = mp.parts;
  } else if (type === 'application/soap+xml' || type === 'text/xml' || type === 'application/xml') {
    xml = res.body;
  } else {
    if (res.status >= 500) throw new DmpError('DMP_HTTP_ERROR', `Le DMP est momentanément indisponible (erreur HTTP ${res.status}). Réessayez dans quelques minutes.`);
    throw new DmpError('DMP_RESPONSE_INVALID', `Le DMP a renvoyé une réponse inattendue (HTTP ${res.status}, type ${type || 'absent'}).`);
  }
  const doc = parseXml(xml, { ...(maxBytes ? { maxBytes } : {}) });
  const env = doc.documentElement!;
  if (env.namespaceURI !== NS.soap || env.localName !== 'Envelope') {
    throw new DmpError('DMP_RESPONSE_INVALID', "La réponse du DMP n'est pas une enveloppe SOAP 1.2.");
  }
  const body = child(env, NS.soap, 'Body');
  if (!body) throw new DmpError('DMP_RESPONSE_INVALID', 'La réponse du DMP ne contient pas de corps SOAP.');
  const fault = child(body, NS.soap, 'Fault');
  if (fault) {
    // Innermost Subcode/Value is the most precise reason.
    const codes = descendants(fault, NS.soap, 'Value').map((v) => text(v).split(':').pop() ?? '');
    const reason = text(path(fault, [NS.soap, 'Reason'], [NS.soap, 'Text']));
    throw soapFaultError(codes[codes.length - 1], reason);
  }
  if (res.status >= 400) {
    throw new DmpError('DMP_HTTP_ERROR', `Le DMP est momentanément indisponible (erreur HTTP ${res.status}). Réessayez dans quelques minutes.`);
  }
  if (!childElements(body).length) throw new DmpError('DMP_RESPONSE_INVALID', 'La réponse du DMP est vide.');
  return { doc, body, parts };
}

/** A SOAP 1.2 fault document (sandbox side). */
export function buildFault(code: 'Sender' | 'Receiver', subcode: string, reason: string): Document {
  const doc = newDocument(NS.soap, 'soap:Envelope');
  const body = add(doc.documentElement!, NS.soap, 'Body');
  const fault = add(body, NS.soap, 'Fault');
  const c = add(fault, NS.soap, 'Code');
  add(c, NS.soap, 'Value', {}, `soap:${code}`);
  const sc = add(c, NS.soap, 'Subcode');
  add(sc, NS.soap, 'Value', {}, subcode);
  const r = add(fault, NS.soap, 'Reason');
  add(r, NS.soap, 'Text', { 'xml:lang': 'fr' }, reason);
  return doc;
}
