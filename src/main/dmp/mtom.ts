import { randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { DmpError } from './errors';
import { NS, child, text } from './xml';

/** MTOM/XOP (SOAP 1.2 MTOM + XOP 1.0) framing: multipart/related with CRLF delimiters. */

export interface MimePart {
  contentId?: string;
  contentType: string;
  data: Buffer;
}

export interface MtomMessage {
  contentType: string;
  body: Buffer;
}

const CRLF = '\r\n';

/** Builds a multipart/related MTOM message: the SOAP envelope first, then binary parts. */
export function buildMtom(soapXml: string, action: string, attachments: MimePart[]): MtomMessage {
  const boundary = `MIMEBoundary_${randomUUID().replace(/-/g, '')}`;
  const rootId = `root.message.${randomUUID()}@chu-workstation`;
  const chunks: Buffer[] = [];
  const head = (lines: string[]): Buffer => Buffer.from(`--${boundary}${CRLF}${lines.join(CRLF)}${CRLF}${CRLF}`, 'utf8');
  chunks.push(
    head([
      `Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"; action="${action}"`,
      'Content-Transfer-Encoding: binary',
      `Content-ID: <${rootId}>`,
    ]),
    Buffer.from(soapXml, 'utf8'),
    Buffer.from(CRLF),
  );
  for (const a of attachments) {
    chunks.push(
      head([`Content-Type: ${a.contentType}`, 'Content-Transfer-Encoding: binary', `Content-ID: <${a.contentId}>`]),
      a.data,
      Buffer.from(CRLF),
    );
  }
  chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
  return {
    contentType: `multipart/related; boundary="${boundary}"; type="application/xop+xml"; start="<${rootId}>"; start-info="application/soap+xml"; action="${action}"`,
    body: Buffer.concat(chunks),
  };
}

export function newContentId(): string {
  return `${randomUUID()}@chu-workstation`;
}

/** Media type and parameters of a Content-Type header (RFC 2045 tokens and quoted strings). */
export function parseContentType(header: string): { type: string; params: Record<string, string> } {
  const params: Record<string, string> = {};
  let i = header.indexOf(';');
  const type = (i < 0 ? header : header.slice(0, i)).trim().toLowerCase();
  while (i >= 0 && i < header.length) {
    i++;
    while (header[i] === ' ' || header[i] === '\t') i++;
    const eq = header.indexOf('=', i);
    if (eq < 0) break;
    const name = header.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    let value = '';
    if (header[j] === '"') {
      j++;
      while (j < header.length && header[j] !== '"') {
        if (header[j] === '\\' && j + 1 < header.length) j++;
        value += header[j];
        j++;
      }
      j++;
    } else {
      const end = header.indexOf(';', j);
      value = header.slice(j, end < 0 ? header.length : end).trim();
      j = end < 0 ? header.length : end;
    }
    params[name] = value;
    i = header.indexOf(';', j);
  }
  return { type, params };
}

function invalid(detail: string): DmpError {
  return new DmpError('DMP_MTOM_INVALID', `Le message MTOM reçu est invalide (${detail}) : il a été rejeté.`);
}

export interface ParsedMultipart {
  root: MimePart;
  parts: Map<string, MimePart>;
}

/** Parses multipart/related; the root is the `start` part, else the first one. */
export function parseMultipart(contentTypeHeader: string, body: Buffer, maxParts = 1000): ParsedMultipart {
  const { type, params } = parseContentType(contentTypeHeader);
  if (type !== 'multipart/related') throw invalid(`type ${type} inattendu`);
  const boundary = params['boundary'];
  if (!boundary || boundary.length > 200) throw invalid('délimiteur absent');
  const delim = Buffer.from(`--${boundary}`);
  const crlfDelim = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delim);
  if (pos < 0) throw invalid('délimiteur introuvable');
  const list: MimePart[] = [];
  for (;;) {
    pos += delim.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing delimiter "--"
    // transport padding then CRLF
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a) throw invalid('fin de ligne CRLF attendue après le délimiteur');
    pos += 2;
    const next = body.indexOf(crlfDelim, pos);
    if (next < 0) throw invalid('message tronqué, délimiteur de fin absent');
    const partBuf = body.subarray(pos, next);
    const headerEnd = partBuf.indexOf('\r\n\r\n');
    if (headerEnd < 0) throw invalid("en-têtes d'une partie mal formés");
    const headers: Record<string, string> = {};
    for (const line of partBuf.subarray(0, headerEnd).toString('latin1').split('\r\n')) {
      const c = line.indexOf(':');
      if (c <= 0) throw invalid("en-tête d'une partie mal formé");
      headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
    }
    let data: Buffer = partBuf.subarray(headerEnd + 4);
    const cte = (headers['content-transfer-encoding'] ?? 'binary').toLowerCase();
    if (cte === 'base64') data = Buffer.from(data.toString('latin1'), 'base64');
    else if (cte !== 'binary' && cte !== '8bit' && cte !== '7bit') throw invalid(`encodage ${cte} non pris en charge`);
    const cid = headers['content-id']?.replace(/^<|>$/g, '');
    list.push({ contentType: headers['content-type'] ?? 'application/octet-stream', data, ...(cid ? { contentId: cid } : {}) });
    if (list.length > maxParts) throw invalid('trop de parties');
    pos = next + 2;
  }
  if (!list.length) throw invalid('aucune partie');
  const start = params['start']?.replace(/^<|>$/g, '');
  const root = start ? list.find((p) => p.contentId === start) : list[0];
  if (!root) throw invalid('partie racine (paramètre start) introuvable');
  const rootType = parseContentType(root.contentType).type;
  if (rootType !== 'application/xop+xml' && rootType !== 'application/soap+xml' && rootType !== 'text/xml') {
    throw invalid(`partie racine de type ${rootType}`);
  }
  const parts = new Map<string, MimePart>();
  for (const p of list) if (p.contentId && p !== root) parts.set(p.contentId, p);
  return { root, parts };
}

/** Binary content of an element: an xop:Include reference, or inline base64. */
export function xopContent(e: Element, parts: Map<string, MimePart>): Buffer {
  const inc = child(e, NS.xop, 'Include');
  if (inc) {
    const href = inc.getAttribute('href') ?? '';
    if (!href.startsWith('cid:')) throw invalid('référence xop:Include sans cid');
    let cid: string;
    try {
      cid = decodeURIComponent(href.slice(4));
    } catch {
      throw invalid('référence xop:Include mal encodée');
    }
    const part = parts.get(cid);
    if (!part) throw invalid('partie binaire référencée absente');
    return part.data;
  }
  const b64 = text(e).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw invalid('contenu base64 invalide');
  return Buffer.from(b64, 'base64');
}
