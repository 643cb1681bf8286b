import { DOMImplementation, XMLSerializer, type Document, type Element, type Node } from '@xmldom/xmldom';
import { parseXmlStrict, XmlRefusal } from '../../shared/xml';
import { DmpError } from './errors';

/** Reading helpers come from the one XML toolkit; this module adds the protocol's parser rules and writers. */
export { attr, child, childElements, descendants, path, text } from '../../shared/xml';

/** Namespaces of the DMPi wire protocol (SOAP 1.2, WS-*, SAML, ebRIM/XDS.b, HL7v3). */
export const NS = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  wsa: 'http://www.w3.org/2005/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  saml: 'urn:oasis:names:tc:SAML:2.0:assertion',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xop: 'http://www.w3.org/2004/08/xop/include',
  hl7: 'urn:hl7-org:v3',
  query: 'urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0',
  rim: 'urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0',
  rs: 'urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0',
  lcm: 'urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0',
  xds: 'urn:ihe:iti:xds-b:2007',
  hab: 'urn:si-dmp-habilitations',
} as const;

/** Default prefixes used when we write; readers always match by namespace URI. */
const PREFIX: Record<string, string> = {
  [NS.soap]: 'soap',
  [NS.wsa]: 'wsa',
  [NS.wsse]: 'wsse',
  [NS.saml]: 'saml2',
  [NS.ds]: 'ds',
  [NS.xsi]: 'xsi',
  [NS.xop]: 'xop',
  [NS.query]: 'query',
  [NS.rim]: 'rim',
  [NS.rs]: 'rs',
  [NS.lcm]: 'lcm',
  [NS.xds]: 'xds',
  [NS.hab]: 'hab',
};

export interface ParseOptions {
  /** Maximum accepted size in bytes (UTF-8). */
  maxBytes?: number;
  /** Used in error messages: what was being read ("réponse du DMP", "requête"). */
  what?: string;
}

export const DEFAULT_MAX_XML_BYTES = 50 * 1024 * 1024;

/**
 * @xmldom/xmldom 0.9.x rebuilds the same (unicode) end-tag RegExp from its grammar sources for
 * every end tag it parses, ~25 % of the time spent parsing a search answer. Its `reg` helper is
 * pure for equal arguments, so it is memoised by argument identity; only flag-less results are
 * shared (a /g or /y RegExp carries state). Pure speed: no parse result changes. Worth reporting
 * upstream; remove once xmldom hoists those expressions.
 */
function memoiseXmldomGrammar(): void {
  let grammar: { reg?: (...args: unknown[]) => RegExp; __dmpMemo?: boolean };
  // A computed id keeps the type checker out of xmldom's untyped internals.
  const internal = ['@xmldom/xmldom', 'lib', 'grammar'].join('/');
  try {
    grammar = require(internal) as typeof grammar;
  } catch {
    return;
  }
  const original = grammar.reg;
  if (typeof original !== 'function' || grammar.__dmpMemo) return;
  const root = new Map<unknown, unknown>();
  const leaf = Symbol('regexp');
  grammar.reg = function memoisedReg(this: unknown, ...args: unknown[]): RegExp {
    let node = root;
    for (const a of args) {
      let next = node.get(a) as Map<unknown, unknown> | undefined;
      if (!next) {
        next = new Map();
        node.set(a, next);
      }
      node = next;
    }
    const hit = node.get(leaf) as RegExp | undefined;
    if (hit) return hit;
    const re = original.apply(this, args);
    if (!re.global && !re.sticky) node.set(leaf, re);
    return re;
  };
  grammar.__dmpMemo = true;
}
memoiseXmldomGrammar();

/**
 * Parses untrusted protocol XML through the shared hardened parser (src/shared/xml) with the SOAP rules on
 * top: a DTD or entity declaration anywhere is refused (SOAP 1.2 §5 forbids a DTD) and parser warnings are
 * fatal. Refusals become DmpErrors naming what was being read.
 */
export function parseXml(input: string | Buffer, options: ParseOptions = {}): Document {
  const what = options.what ?? 'réponse du DMP';
  const max = options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
  const size = typeof input === 'string' ? Buffer.byteLength(input, 'utf8') : input.length;
  if (size > max) {
    throw new DmpError('DMP_RESPONSE_TOO_LARGE', `La ${what} dépasse la taille maximale acceptée (${Math.round(max / 1024 / 1024)} Mo) : elle a été rejetée.`);
  }
  const text = typeof input === 'string' ? input : input.toString('utf8');
  if (/<!DOCTYPE/i.test(text) || /<!ENTITY/i.test(text)) {
    throw new DmpError('DMP_XML_HOSTILE', `La ${what} contient une déclaration DTD ou d'entité, interdite : elle a été rejetée.`);
  }
  try {
    // No locator: line/column tracking roughly doubles parse time and we never show positions.
    return parseXmlStrict(text, max, { locator: false, warningsFatal: true });
  } catch (e) {
    if (!(e instanceof XmlRefusal)) throw e;
    switch (e.kind) {
      case 'too_large':
        throw new DmpError('DMP_RESPONSE_TOO_LARGE', `La ${what} dépasse la taille maximale acceptée (${Math.round(max / 1024 / 1024)} Mo) : elle a été rejetée.`);
      case 'doctype':
        throw new DmpError('DMP_XML_HOSTILE', `La ${what} contient une déclaration DTD, interdite : elle a été rejetée.`);
      case 'empty':
        throw new DmpError('DMP_RESPONSE_INVALID', `La ${what} est vide.`);
      case 'too_many_elements':
      case 'too_deep':
        throw new DmpError('DMP_RESPONSE_TOO_LARGE', `La ${what} a été rejetée sans être analysée : ${e.message.replace(/^Document refusé : /, '')}`);
      case 'malformed':
        throw new DmpError('DMP_RESPONSE_INVALID', `La ${what} n'est pas un XML bien formé : elle a été rejetée.`, { cause: e });
    }
  }
}

export function serialize(node: Node): string {
  return new XMLSerializer().serializeToString(node);
}

export function newDocument(ns: string, qualifiedName: string): Document {
  return new DOMImplementation().createDocument(ns, qualifiedName, null);
}

/** Creates `ns:local` with our conventional prefix (or none for HL7v3, written as default namespace). */
export function el(
  doc: Document,
  ns: string,
  local: string,
  attrs: Record<string, string | undefined> = {},
  text?: string,
): Element {
  const prefix = PREFIX[ns];
  const e = doc.createElementNS(ns, prefix ? `${prefix}:${local}` : local);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (k.startsWith('xsi:')) e.setAttributeNS(NS.xsi, k, v);
    else if (k.startsWith('xml:')) e.setAttributeNS('http://www.w3.org/XML/1998/namespace', k, v);
    else e.setAttribute(k, v);
  }
  if (text !== undefined) e.appendChild(doc.createTextNode(text));
  return e;
}

/** Appends a new child element and returns it. */
export function add(
  parent: Element,
  ns: string,
  local: string,
  attrs: Record<string, string | undefined> = {},
  text?: string,
): Element {
  const e = el(parent.ownerDocument!, ns, local, attrs, text);
  parent.appendChild(e);
  return e;
}
