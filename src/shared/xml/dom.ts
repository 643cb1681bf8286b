import type { Document as XDocument, Element as XElement, Node as XNode } from '@xmldom/xmldom';

export type { XDocument, XElement, XNode };

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
const CDATA_SECTION_NODE = 4;

/** A namespace to match: its URI, or a test (HL7 documents that omit their namespace, for instance). */
export type NsMatch = string | ((namespaceURI: string | null | undefined) => boolean);

const matches = (ns: NsMatch | undefined, uri: string | null | undefined): boolean => ns === undefined || (typeof ns === 'string' ? uri === ns : ns(uri));

// DOM helpers: iterative or depth-bounded, hostile documents can be 10,000 levels deep.

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

/** Element children, optionally only those of namespace `ns` and local name `local`. */
export function childElements(parent: XNode | undefined, ns?: NsMatch, local?: string): XElement[] {
  const out: XElement[] = [];
  if (!parent) return out;
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== ELEMENT_NODE) continue;
    const e = n as XElement;
    if (local !== undefined && localName(e) !== local) continue;
    if (!matches(ns, e.namespaceURI)) continue;
    out.push(e);
  }
  return out;
}

/** The first child `ns:local`. */
export function child(parent: XNode | undefined, ns: NsMatch, local: string): XElement | undefined {
  if (!parent) return undefined;
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === ELEMENT_NODE && localName(n as XElement) === local && matches(ns, (n as XElement).namespaceURI)) return n as XElement;
  }
  return undefined;
}

/** Follows (ns, local) steps through first matching children. */
export function path(parent: XNode | undefined, ...steps: [NsMatch, string][]): XElement | undefined {
  let cur: XNode | undefined = parent;
  for (const [ns, local] of steps) cur = child(cur, ns, local);
  return cur as XElement | undefined;
}

/** Every descendant `ns:local`, in document order. */
export function descendants(root: XNode, ns: string, local: string): XElement[] {
  const list = (root as XElement | XDocument).getElementsByTagNameNS(ns, local);
  const out: XElement[] = [];
  for (let i = 0; i < list.length; i++) out.push(list.item(i)!);
  return out;
}

/** Trimmed text content, uncapped: protocol values (ids, codes, base64), not displayed documents (textOf). */
export function text(e: XNode | undefined): string {
  return e?.textContent?.trim() ?? '';
}

export function attr(el: XElement | undefined, name: string): string | undefined {
  if (!el || !el.hasAttribute(name)) return undefined;
  const v = el.getAttribute(name);
  return v === null ? undefined : v;
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
