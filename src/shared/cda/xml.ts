import { DOMParser } from '@xmldom/xmldom';
import type { Document as XDocument, Element as XElement, Node as XNode } from '@xmldom/xmldom';

export type { XDocument, XElement, XNode };

export const HL7_NS = 'urn:hl7-org:v3';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

export class XmlRefusal extends Error {}

/** UTF-8 byte length without allocating an encoded copy (documents can be tens of MB). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

function formatMegabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

export function checkSize(xml: string, maxBytes: number): void {
  // Cheap bounds first: a char is 1 to 3 UTF-8 bytes (surrogate pairs: 4 bytes for 2 chars).
  if (xml.length > maxBytes || (xml.length * 3 > maxBytes && utf8Length(xml) > maxBytes)) {
    throw new XmlRefusal(
      `Document trop volumineux : ${formatMegabytes(utf8Length(xml))} pour une limite de ${formatMegabytes(maxBytes)}. ` +
        'Il n\u2019a pas été ouvert ; demandez à l\u2019émetteur une version plus légère (PDF séparé).',
    );
  }
}

/**
 * Looks at the prolog only (before the root element): a DOCTYPE there is refused outright, so
 * no DTD, internal entity (billion laughs) or external entity (XXE) ever reaches the parser.
 * A DOCTYPE elsewhere is not well-formed XML and the parser rejects it.
 */
export function checkProlog(xml: string): void {
  let i = 0;
  const n = xml.length;
  if (xml.charCodeAt(0) === 0xfeff) i = 1;
  while (i < n) {
    const c = xml[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c !== '<') return;
    if (xml.startsWith('<?', i)) {
      const end = xml.indexOf('?>', i + 2);
      if (end < 0) return;
      i = end + 2;
      continue;
    }
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) return;
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<!', i)) {
      if (xml.slice(i + 2, i + 9).toUpperCase() === 'DOCTYPE') {
        throw new XmlRefusal(
          'Document refusé : il contient une déclaration DOCTYPE (DTD, entités), interdite dans un document CDA ' +
            'pour des raisons de sécurité.',
        );
      }
      return;
    }
    return; // root element starts
  }
}

/** Parses untrusted XML: no DOCTYPE, any parser error is fatal, never throws anything but XmlRefusal. */
export function parseXmlStrict(xml: string, maxBytes: number): XDocument {
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw new XmlRefusal('Document vide : aucun contenu XML à afficher.');
  }
  checkSize(xml, maxBytes);
  checkProlog(xml);
  let firstError: string | undefined;
  let doc: XDocument;
  try {
    doc = new DOMParser({
      locator: true,
      onError: (level, message) => {
        if (level === 'warning') return;
        firstError ??= message;
        throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    const detail = firstError ?? (error instanceof Error ? error.message : String(error));
    throw new XmlRefusal(`Document XML mal formé, il ne peut pas être affiché (${cleanParserMessage(detail)}).`);
  }
  if (doc.doctype) {
    throw new XmlRefusal('Document refusé : il contient une déclaration DOCTYPE, interdite dans un document CDA.');
  }
  if (!doc.documentElement) throw new XmlRefusal('Document XML sans élément racine.');
  return doc;
}

function cleanParserMessage(message: string): string {
  // Keep the parser's hint short; it may quote document content, so cap its length.
  const first = message.split('\n')[0] ?? message;
  return first.length > 160 ? `${first.slice(0, 160)}…` : first;
}

// ---- DOM helpers (iterative or depth-bounded: hostile documents can be 10,000 levels deep) ----

export function isHl7(el: XElement): boolean {
  // Some producers omit the namespace; accept it rather than show an empty document.
  return el.namespaceURI === HL7_NS || el.namespaceURI === null || el.namespaceURI === undefined;
}

export function localName(el: XElement): string {
  return el.localName ?? el.nodeName;
}

export function elementChildren(el: XElement | XDocument): XElement[] {
  const out: XElement[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === ELEMENT_NODE) out.push(c as XElement);
  }
  return out;
}

/** HL7 children named `name`. */
export function children(el: XElement | undefined, name: string): XElement[] {
  if (!el) return [];
  const out: XElement[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === ELEMENT_NODE && localName(c as XElement) === name && isHl7(c as XElement)) out.push(c as XElement);
  }
  return out;
}

export function child(el: XElement | undefined, name: string): XElement | undefined {
  if (!el) return undefined;
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === ELEMENT_NODE && localName(c as XElement) === name && isHl7(c as XElement)) return c as XElement;
  }
  return undefined;
}

/** child(child(child(el, a), b), c)… */
export function path(el: XElement | undefined, ...names: string[]): XElement | undefined {
  let cur = el;
  for (const name of names) cur = child(cur, name);
  return cur;
}

export function attr(el: XElement | undefined, name: string): string | undefined {
  if (!el || !el.hasAttribute(name)) return undefined;
  const v = el.getAttribute(name);
  return v === null ? undefined : v;
}

export function xsiType(el: XElement): string | undefined {
  const v = el.getAttributeNS(XSI_NS, 'type') ?? undefined;
  if (!v) return undefined;
  const colon = v.indexOf(':');
  return colon >= 0 ? v.slice(colon + 1) : v;
}

export const MAX_TEXT_DEPTH = 200;

/** Text content, iterative, whitespace collapsed, capped in length. */
export function textOf(node: XNode | undefined, maxChars = 100_000): string {
  if (!node) return '';
  const parts: string[] = [];
  let total = 0;
  const stack: XNode[] = [node];
  while (stack.length > 0 && total < maxChars) {
    const n = stack.pop() as XNode;
    if (n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE) {
      const data = (n as unknown as { data: string }).data;
      parts.push(data);
      total += data.length;
    } else if (n.nodeType === ELEMENT_NODE) {
      const kids: XNode[] = [];
      for (let c = n.firstChild; c; c = c.nextSibling) kids.push(c);
      for (let k = kids.length - 1; k >= 0; k--) stack.push(kids[k] as XNode);
    }
  }
  const text = collapseSpaces(parts.join(''));
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}

/** Raw text (no collapsing): base64 payloads. */
export function rawTextOf(el: XElement): string {
  const parts: string[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === TEXT_NODE || c.nodeType === CDATA_SECTION_NODE) parts.push((c as unknown as { data: string }).data);
  }
  return parts.join('');
}

export function collapseSpaces(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function isTextNode(n: XNode): boolean {
  return n.nodeType === TEXT_NODE || n.nodeType === CDATA_SECTION_NODE;
}

export function isElement(n: XNode): n is XElement {
  return n.nodeType === ELEMENT_NODE;
}

/** Visits every element iteratively (no recursion: safe on very deep documents). */
export function forEachElement(root: XElement, visit: (el: XElement) => void): void {
  const stack: XElement[] = [root];
  while (stack.length > 0) {
    const el = stack.pop() as XElement;
    visit(el);
    for (let c = el.lastChild; c; c = c.previousSibling) {
      if (c.nodeType === ELEMENT_NODE) stack.push(c as XElement);
    }
  }
}
