import { readBody } from './body';
import { DEFAULT_MAX_DEPTH } from './context';
import { readHeader } from './header';
import type { CdaDocument, CdaParseResult, CdaSection } from './types';
import { DEFAULT_MAX_BYTES, HL7_NS, localName, parseXmlStrict, XmlRefusal } from './xml';

export interface ParseCdaOptions {
  /** Size cap in UTF-8 bytes; default 50 MB. */
  maxBytes?: number;
  /** Nesting depth kept for sections, narrative and entries; default 200. */
  maxDepth?: number;
}

/**
 * Parses an untrusted CDA R2 document into plain data. Never throws: refusals (DOCTYPE, size,
 * malformed XML, not a CDA) come back as `{ ok: false, error }` with a French message.
 */
/**
 * The readers truncate deep nesting themselves and say so (a document stays readable), so the parse-level
 * depth cap for a CDA is only the backstop that keeps the parser itself bounded; elements stay capped.
 */
const CDA_PARSE_MAX_DEPTH = 32_768;

export function parseCda(xml: string, opts: ParseCdaOptions = {}): CdaParseResult {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxDepth = opts.maxDepth ?? DEFAULT_MAX_DEPTH;
  try {
    const doc = parseXmlStrict(xml, maxBytes, { maxDepth: CDA_PARSE_MAX_DEPTH });
    const root = doc.documentElement;
    if (!root || localName(root) !== 'ClinicalDocument') {
      const name = root ? root.nodeName : '?';
      return {
        ok: false,
        error: `Ce fichier XML n\u2019est pas un document CDA : l\u2019élément racine est « ${name.slice(0, 80)} » au lieu de « ClinicalDocument ».`,
      };
    }
    const warnings: string[] = [];
    if (root.namespaceURI !== HL7_NS) {
      warnings.push('L\u2019élément racine n\u2019est pas dans l\u2019espace de noms HL7 v3 (urn:hl7-org:v3) : document non conforme, affiché au mieux.');
    }
    const header = readHeader(root);
    const body = readBody(root, maxDepth, warnings);
    const document: CdaDocument = { header, body, warnings };
    if (body.kind === 'structured') document.level = 3;
    if (body.kind === 'nonXml') document.level = 1;
    if (body.kind === 'none') warnings.push('Le document ne contient pas de corps (ni structuredBody ni nonXMLBody).');
    return { ok: true, document };
  } catch (error) {
    if (error instanceof XmlRefusal) return { ok: false, error: error.message };
    if (error instanceof RangeError) {
      // Stack or allocation limits hit by a pathological document.
      return { ok: false, error: 'Document trop complexe pour être affiché en toute sécurité (structure pathologique).' };
    }
    return {
      ok: false,
      error: `Le document n\u2019a pas pu être lu : ${error instanceof Error ? error.message.slice(0, 200) : 'erreur inconnue'}.`,
    };
  }
}

/** The embedded PDF: a level-1 body, or the 55108-5 "Copie du document" section of a level-3 document. */
export function getEmbeddedPdf(doc: CdaDocument): Uint8Array | undefined {
  if (doc.body.kind === 'nonXml') {
    return doc.body.mediaType === 'application/pdf' && !doc.body.error ? doc.body.bytes : undefined;
  }
  if (doc.body.kind !== 'structured') return undefined;
  const stack: CdaSection[] = [...doc.body.sections];
  while (stack.length > 0) {
    const section = stack.shift() as CdaSection;
    if (section.isPdfCopy) {
      const pdf = section.attachments.find((a) => a.mediaType === 'application/pdf' && a.bytes && !a.error);
      if (pdf?.bytes) return pdf.bytes;
    }
    stack.push(...section.sections);
  }
  return undefined;
}
