import { DOMParser } from '@xmldom/xmldom';
import type { XDocument } from './dom';

/**
 * The one hardened XML parser for everything that comes from outside (CDA documents, DMP answers and
 * requests): size capped before parsing, no DOCTYPE (so no DTD, entity expansion or external entity),
 * parser errors fatal. Callers turn an XmlRefusal into their own error by its `kind`.
 */
export type XmlRefusalKind = 'empty' | 'too_large' | 'too_many_elements' | 'too_deep' | 'doctype' | 'malformed';

export class XmlRefusal extends Error {
  constructor(
    readonly kind: XmlRefusalKind,
    message: string,
  ) {
    super(message);
  }
}

export interface ParseXmlOptions {
  /** Line/column tracking: better error messages, roughly twice the parse time. Default true. */
  locator?: boolean;
  /** Parser warnings refused too (protocol messages); default false (documents are shown if readable). */
  warningsFatal?: boolean;
  /** Most elements accepted, counted before any DOM is built (a DOM node costs ~1 KB). */
  maxElements?: number;
  /** Deepest element nesting accepted, checked before any DOM is built. */
  maxDepth?: number;
}

/**
 * The default structural caps. A 350 KB lab report holds ~12,000 elements and a DMP answer listing
 * 500 documents ~150,000; 4.5 million elements (a 45 MB hostile answer) would need ~4 GB of DOM.
 */
export const DEFAULT_MAX_ELEMENTS = 300_000;
export const DEFAULT_MAX_DEPTH = 128;

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
      'too_large',
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
          'doctype',
          'Document refusé : il contient une déclaration DOCTYPE (DTD, entités), interdite dans un document CDA ' +
            'pour des raisons de sécurité.',
        );
      }
      return;
    }
    return; // root element starts
  }
}

/** Skips past `end` from `from`; -1 when it never comes (the parser will call it malformed). */
function skipPast(xml: string, from: number, end: string): number {
  const at = xml.indexOf(end, from);
  return at < 0 ? -1 : at + end.length;
}

/** The index just past the `>` closing the tag opened at `from`, quotes honoured; -1 if unterminated. */
function tagEnd(xml: string, from: number): number {
  let quote = 0;
  for (let i = from; i < xml.length; i++) {
    const c = xml.charCodeAt(i);
    if (quote) {
      if (c === quote) quote = 0;
    } else if (c === 0x22 || c === 0x27) quote = c;
    else if (c === 0x3e) return i + 1;
  }
  return -1;
}

/**
 * Counts elements and nesting depth by scanning tags, without building anything: a document over
 * either cap is refused before the parser allocates a node. Text is skipped with indexOf, so the cost
 * is one pass over the markup. Malformed markup is left to the parser, which refuses it properly.
 */
export function checkStructure(xml: string, maxElements: number, maxDepth: number): void {
  let elements = 0;
  let depth = 0;
  let i = xml.indexOf('<');
  while (i >= 0 && i < xml.length) {
    const next = xml.charCodeAt(i + 1);
    let end: number;
    if (next === 0x2f /* </ */) {
      depth--;
      end = tagEnd(xml, i + 2);
    } else if (next === 0x3f /* <? */) {
      end = skipPast(xml, i + 2, '?>');
    } else if (next === 0x21 /* <! */) {
      end = xml.startsWith('<!--', i) ? skipPast(xml, i + 4, '-->') : xml.startsWith('<![CDATA[', i) ? skipPast(xml, i + 9, ']]>') : tagEnd(xml, i + 2);
    } else {
      end = tagEnd(xml, i + 1);
      if (end < 0) return;
      elements++;
      const level = depth + 1;
      // A self-closing tag opens and closes at once: it sits one level down but leaves the depth as it was.
      if (xml.charCodeAt(end - 2) !== 0x2f) depth = level;
      if (elements > maxElements) {
        throw new XmlRefusal(
          'too_many_elements',
          `Document refusé : plus de ${maxElements.toLocaleString('fr-FR')} éléments XML, bien au-delà d\u2019un document clinique ou d\u2019une réponse réelle. Il n\u2019a pas été analysé.`,
        );
      }
      if (level > maxDepth) {
        throw new XmlRefusal('too_deep', `Document refusé : éléments XML imbriqués sur plus de ${maxDepth} niveaux. Il n\u2019a pas été analysé.`);
      }
    }
    if (end < 0) return;
    i = xml.indexOf('<', end);
  }
}

/** Parses untrusted XML: no DOCTYPE, any parser error is fatal, never throws anything but XmlRefusal. */
export function parseXmlStrict(xml: string, maxBytes: number, options: ParseXmlOptions = {}): XDocument {
  if (typeof xml !== 'string' || xml.trim() === '') {
    throw new XmlRefusal('empty', 'Document vide : aucun contenu XML à afficher.');
  }
  checkSize(xml, maxBytes);
  checkProlog(xml);
  checkStructure(xml, options.maxElements ?? DEFAULT_MAX_ELEMENTS, options.maxDepth ?? DEFAULT_MAX_DEPTH);
  let firstError: string | undefined;
  let doc: XDocument;
  try {
    doc = new DOMParser({
      locator: options.locator ?? true,
      onError: (level, message) => {
        if (level === 'warning' && !options.warningsFatal) return;
        firstError ??= message;
        throw new Error(message);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    const detail = firstError ?? (error instanceof Error ? error.message : String(error));
    throw new XmlRefusal('malformed', `Document XML mal formé, il ne peut pas être affiché (${cleanParserMessage(detail)}).`);
  }
  if (doc.doctype) {
    throw new XmlRefusal('doctype', 'Document refusé : il contient une déclaration DOCTYPE, interdite dans un document CDA.');
  }
  if (!doc.documentElement) throw new XmlRefusal('empty', 'Document XML sans élément racine.');
  return doc;
}

function cleanParserMessage(message: string): string {
  // Keep the parser's hint short; it may quote document content, so cap its length.
  const first = message.split('\n')[0] ?? message;
  return first.length > 160 ? `${first.slice(0, 160)}…` : first;
}

