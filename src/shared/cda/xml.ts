import { child, childElements, type XElement } from '../xml';

/**
 * The HL7 v3 dialect of the XML toolkit (src/shared/xml) that the CDA readers speak: elements named by
 * local name in the HL7 namespace, or in none (some producers omit it; better read than show nothing).
 */
export { attr, collapseSpaces, elementChildren, forEachElement, isElement, isTextNode, localName, MAX_TEXT_DEPTH, parseXmlStrict, rawTextOf, textOf, XmlRefusal } from '../xml';
export type { XDocument, XElement, XNode } from '../xml';

export const HL7_NS = 'urn:hl7-org:v3';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** Largest CDA document opened, bytes. */
export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;

/** HL7 namespace, or none. */
export function isHl7Namespace(uri: string | null | undefined): boolean {
  return uri === HL7_NS || uri === null || uri === undefined;
}

export function isHl7(el: XElement): boolean {
  return isHl7Namespace(el.namespaceURI);
}

/** HL7 children named `name`. */
export function hl7Children(el: XElement | undefined, name: string): XElement[] {
  return childElements(el, isHl7Namespace, name);
}

export function hl7Child(el: XElement | undefined, name: string): XElement | undefined {
  return child(el, isHl7Namespace, name);
}

/** hl7Child(hl7Child(hl7Child(el, a), b), c)… */
export function hl7Path(el: XElement | undefined, ...names: string[]): XElement | undefined {
  let cur = el;
  for (const name of names) cur = hl7Child(cur, name);
  return cur;
}

export function xsiType(el: XElement): string | undefined {
  const v = el.getAttributeNS(XSI_NS, 'type') ?? undefined;
  if (!v) return undefined;
  const colon = v.indexOf(':');
  return colon >= 0 ? v.slice(colon + 1) : v;
}
