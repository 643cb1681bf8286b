import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Document, Element } from '@xmldom/xmldom';
import { DmpError } from '../errors';
import { buildMtom, parseContentType, parseMultipart, type MimePart } from '../mtom';
import { buildFault } from '../soap';
import { XDS, addRegistryErrorList } from '../xds';
import { NS, add, child, newDocument, parseXml, serialize, text } from '../xml';
import { Fault, type FaultMode, type Reply, type SandboxContext } from './context';
import { SERVICES, STORED_QUERY_ACTION, dispatch, responseActionFor } from './dispatch';
import { readRequester } from './rules';
import { serializeReply } from './td3-query';

export const SERVICES_PATH = '/si-dmp-server/v2/services';
const SOAP_TYPE = 'application/soap+xml; charset=UTF-8';
/** Request cap of the services that carry no document (queries, patients, authorisations). */
export const SMALL_REQUEST_BYTES = 1024 * 1024;

function send(res: http.ServerResponse, status: number, contentType: string, body: Buffer): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': String(body.length) });
  res.end(body);
}

function envelope(action: string, relatesTo: string | undefined): { doc: Document; body: Element } {
  const doc = newDocument(NS.soap, 'soap:Envelope');
  const header = add(doc.documentElement!, NS.soap, 'Header');
  add(header, NS.wsa, 'Action', {}, action);
  add(header, NS.wsa, 'MessageID', {}, `urn:uuid:${randomUUID()}`);
  if (relatesTo) add(header, NS.wsa, 'RelatesTo', {}, relatesTo);
  return { doc, body: add(doc.documentElement!, NS.soap, 'Body') };
}

/** Hostile answers the client must survive (XXE, entity expansion, an endless body). */
function sendHostile(res: http.ServerResponse, mode: FaultMode): boolean {
  const xml = (s: string): void => send(res, 200, SOAP_TYPE, Buffer.from(s, 'utf8'));
  if (mode === 'xxe') {
    xml('<?xml version="1.0"?><!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><r>&x;</r></soap:Body></soap:Envelope>');
    return true;
  }
  if (mode === 'billion-laughs') {
    const ents = ['<!ENTITY l0 "ha">'];
    for (let i = 1; i <= 9; i++) ents.push(`<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`);
    xml(`<?xml version="1.0"?><!DOCTYPE e [${ents.join('')}]><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><r>&l9;</r></soap:Body></soap:Envelope>`);
    return true;
  }
  if (mode === 'element-flood') {
    // 45 MB, 4.5 million elements, under the 50 MB byte cap: the client must refuse it by count, before any DOM.
    streamSoapBody(res, Buffer.from('<e>xyz</e>'.repeat(100_000)), 45);
    return true;
  }
  if (mode === 'oversize') {
    // 51 MB of well-formed SOAP, streamed: the client must stop reading at its cap.
    streamSoapBody(res, Buffer.alloc(1024 * 1024, 'a'), 51);
    return true;
  }
  return false;
}

/** A SOAP envelope whose body is `chunk` repeated `count` times, streamed with back-pressure. */
function streamSoapBody(res: http.ServerResponse, chunk: Buffer, count: number): void {
  res.writeHead(200, { 'Content-Type': SOAP_TYPE });
  let sent = 0;
  res.write('<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><r>');
  const pump = (): void => {
    while (sent < count) {
      sent++;
      if (!res.write(chunk)) {
        res.once('drain', pump);
        return;
      }
    }
    res.end('</r></soap:Body></soap:Envelope>');
  };
  res.on('error', () => undefined);
  pump();
}

function resetMidway(res: http.ServerResponse, contentType: string, payload: Buffer): void {
  res.writeHead(200, { 'Content-Type': contentType, 'Content-Length': String(payload.length) });
  res.write(payload.subarray(0, Math.floor(payload.length / 2)), () => res.socket?.destroy());
}

/** The request body, or undefined once a 413 has been sent for exceeding the cap. */
async function readBody(req: http.IncomingMessage, res: http.ServerResponse, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req as AsyncIterable<Buffer>) {
    size += c.length;
    if (size > maxBytes) {
      send(res, 413, 'text/plain; charset=utf-8', Buffer.from('Requête trop volumineuse'));
      req.destroy();
      return undefined;
    }
    chunks.push(c);
  }
  return Buffer.concat(chunks);
}

/** SOAP root part and MTOM attachments of a request, by its content type. */
function splitRequest(ctype: string, raw: Buffer): { rootXml: Buffer; parts: Map<string, MimePart> } {
  const { type } = parseContentType(ctype);
  if (type === 'multipart/related') {
    const mp = parseMultipart(ctype, raw);
    return { rootXml: mp.root.data, parts: mp.parts };
  }
  if (type === 'application/soap+xml' || type === 'text/xml') return { rootXml: raw, parts: new Map() };
  throw new Fault('TypeContenuInvalide', `Type de contenu ${type} non accepté`);
}

/** Parses, authenticates and serves one SOAP request; every refusal is a SOAP fault. */
/** A SOAP header's size is a VIHF and a few addressing fields: a few kilobytes. */
const MAX_HEADER_BYTES = 256 * 1024;

/**
 * The envelope cut just before its Body, closed: the part that says who is calling. Parsing and
 * verifying it first means an unauthenticated request never gets its body parsed (the review's
 * 6.7 MB request cost 5.7 s and 1.5 GB before being refused for lack of a VIHF).
 */
export function soapHeaderOnly(xml: string): string {
  const root = /^\uFEFF?\s*(?:<\?[^]*?\?>\s*)?(?:<!--[^]*?-->\s*)*<((?:[A-Za-z_][\w.-]*:)?Envelope)[\s>]/.exec(xml.slice(0, 4096));
  if (!root) throw new Fault('VersionMismatch', 'Enveloppe SOAP 1.2 attendue');
  const envName = root[1]!;
  const prefix = envName.slice(0, envName.length - 'Envelope'.length);
  const body = new RegExp(`<${prefix.replace(/\./g, '\\.')}Body[\\s>/]`).exec(xml.slice(0, MAX_HEADER_BYTES));
  if (!body) throw new Fault('CorpsVide', 'Corps SOAP absent, ou en-tête SOAP trop volumineux');
  return `${xml.slice(0, body.index)}</${envName}>`;
}

/** Envelope, action and caller from the header alone; refusals here happen before the body is parsed. */
function readHeader(ctx: SandboxContext, rootText: string) {
  const headOnly = soapHeaderOnly(rootText);
  const headDoc = parseXml(headOnly, { what: 'en-tête de la requête', maxBytes: MAX_HEADER_BYTES });
  const env = headDoc.documentElement!;
  if (env.namespaceURI !== NS.soap || env.localName !== 'Envelope') throw new Fault('VersionMismatch', 'Enveloppe SOAP 1.2 attendue');
  const header = child(env, NS.soap, 'Header');
  const requestAction = text(header ? child(header, NS.wsa, 'Action') : undefined);
  const relatesTo = text(header ? child(header, NS.wsa, 'MessageID') : undefined) || undefined;
  if (!requestAction) throw new Fault('MessageAddressingHeaderRequired', 'wsa:Action absent');
  return { requestAction, relatesTo, requester: readRequester(ctx, headDoc, headOnly) };
}

function serveSoap(ctx: SandboxContext, service: string, ctype: string, raw: Buffer, res: http.ServerResponse): void {
  const { fault } = ctx.controls;
  const { rootXml, parts } = splitRequest(ctype, raw);
  const rootText = rootXml.toString('utf8');
  const { requestAction, relatesTo, requester } = readHeader(ctx, rootText);
  const doc = parseXml(rootText, { what: 'requête' });
  const body = child(doc.documentElement!, NS.soap, 'Body');
  if (!body) throw new Fault('CorpsVide', 'Corps SOAP absent');
  if (fault === 'soap-fault') throw new Fault('ErreurInterne', 'Erreur interne simulée du DMP', 'Receiver');
  const responseAction = responseActionFor(requestAction);
  const out = envelope(responseAction, relatesTo);
  if (fault === 'registry-error') {
    const isQuery = requestAction === STORED_QUERY_ACTION;
    const resp = isQuery ? add(out.body, NS.query, 'AdhocQueryResponse', { status: XDS.responseFailure }) : add(out.body, NS.rs, 'RegistryResponse', { status: XDS.responseFailure });
    addRegistryErrorList(resp, [{ code: 'XDSRegistryError', context: 'Erreur simulée du registre' }]);
    send(res, 200, SOAP_TYPE, Buffer.from(serialize(out.doc), 'utf8'));
    return;
  }
  const reply: Reply = { out: out.body };
  const mtomParts = dispatch(ctx, requestAction, service, body, requester, parts, reply);
  const xml = serializeReply(out.doc, reply);
  if (mtomParts) {
    const m = buildMtom(xml, responseAction, mtomParts);
    let payload = m.body;
    if (fault === 'malformed-mtom') payload = payload.subarray(0, Math.max(0, payload.length - 60));
    if (fault === 'reset') return resetMidway(res, m.contentType, payload);
    send(res, 200, m.contentType, payload);
  } else {
    const payload = Buffer.from(xml, 'utf8');
    if (fault === 'reset') return resetMidway(res, SOAP_TYPE, payload);
    send(res, 200, `${SOAP_TYPE}; action="${responseAction}"`, payload);
  }
}

/** The HTTP side: routing, size cap, injected latency / 503 / hostile answers, then SOAP. */
export function createRequestHandler(ctx: SandboxContext, maxRequestBytes: number): http.RequestListener {
  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const service = url.pathname.startsWith(`${SERVICES_PATH}/`) ? url.pathname.slice(SERVICES_PATH.length + 1) : '';
    if (!SERVICES.includes(service)) {
      send(res, 404, 'text/plain; charset=utf-8', Buffer.from('Service DMP inconnu'));
      return;
    }
    if (req.method !== 'POST') {
      send(res, 405, 'text/plain; charset=utf-8', Buffer.from('POST attendu'));
      return;
    }
    // Only the repository receives documents; queries, patients and authorisations are small.
    const cap = service === 'repository' ? maxRequestBytes : Math.min(maxRequestBytes, SMALL_REQUEST_BYTES);
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > cap) {
      // Refused on the declared length: the body is never read.
      res.setHeader('Connection', 'close');
      send(res, 413, 'text/plain; charset=utf-8', Buffer.from('Requête trop volumineuse'));
      req.destroy();
      return;
    }
    const raw = await readBody(req, res, cap);
    if (!raw) return;
    const c = ctx.controls;
    if (c.latencyMs > 0 || c.fault === 'latency') await new Promise((r) => setTimeout(r, c.latencyMs || 2000));
    // Read again after the wait: a test may change the fault meanwhile.
    const { fault, failRate } = c;
    if (fault === '5xx' || (failRate > 0 && Math.random() < failRate)) {
      send(res, 503, 'text/html; charset=utf-8', Buffer.from('<html><body>Service Unavailable</body></html>'));
      return;
    }
    if (fault && sendHostile(res, fault)) return;
    try {
      serveSoap(ctx, service, String(req.headers['content-type'] ?? ''), raw, res);
    } catch (e) {
      const f =
        e instanceof Fault
          ? e
          : e instanceof DmpError
            ? new Fault('RequeteInvalide', e.message)
            : new Fault('ErreurInterne', 'Erreur interne du DMP de test', 'Receiver');
      if (!(e instanceof Fault) && !(e instanceof DmpError)) console.error('[dmp-sandbox] erreur interne :', (e as Error).message);
      const doc = buildFault(f.code, f.sub, f.reason);
      send(res, f.code === 'Sender' ? 400 : 500, SOAP_TYPE, Buffer.from(serialize(doc), 'utf8'));
    }
  };
  return (req, res) => {
    handle(req, res).catch((e: Error) => {
      console.error('[dmp-sandbox] erreur :', e.message);
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', Buffer.from('Erreur interne'));
      else res.destroy();
    });
  };
}
