// Section narrative (CDA StrucDoc.Text) into a tree of typed nodes. Only known elements get a
// meaning; everything else becomes an `unknown` node the viewer labels as not rendered.
import { bytesToBase64 } from '../text/base64';
import { sniffImageType } from './sniff';
import type { BodyContext } from './context';
import { own } from './own';
import type { CdaImageType, CdaStyle, NarrativeNode, NarrativeTable, NarrativeTableCell, NarrativeTableGroup } from './types';
import { attr, elementChildren, isElement, isHl7, isTextNode, localName, textOf, type XElement, type XNode } from './xml';

const STYLES: Record<string, CdaStyle> = {
  bold: 'bold',
  italics: 'italics',
  underline: 'underline',
  emphasis: 'emphasis',
  lrule: 'lrule',
  rrule: 'rrule',
  toprule: 'toprule',
  botrule: 'botrule',
};

const IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif'];

export function readStyles(el: XElement): CdaStyle[] {
  const raw = attr(el, 'styleCode');
  if (!raw) return [];
  const out: CdaStyle[] = [];
  for (const token of raw.split(/\s+/)) {
    const style = own(STYLES, token.toLowerCase());
    if (style && !out.includes(style)) out.push(style);
  }
  return out;
}

function truncated(ctx: BodyContext): NarrativeNode {
  ctx.warnings.add(
    `Contenu trop profondément imbriqué (plus de ${ctx.maxDepth} niveaux) : la partie la plus profonde n\u2019est pas affichée.`,
  );
  return { type: 'truncated' };
}

function spend(ctx: BodyContext): boolean {
  if (ctx.nodeBudget <= 0) {
    ctx.warnings.add('Document très volumineux : la fin du texte n\u2019est pas affichée.');
    return false;
  }
  ctx.nodeBudget--;
  return true;
}

/** Children of a narrative element as nodes. */
export function readNarrative(el: XElement, ctx: BodyContext, depth: number): NarrativeNode[] {
  if (depth > ctx.maxDepth) return [truncated(ctx)];
  const out: NarrativeNode[] = [];
  for (let c: XNode | null = el.firstChild; c; c = c.nextSibling) {
    if (!spend(ctx)) break;
    if (isTextNode(c)) {
      const text = (c as unknown as { data: string }).data.replace(/\s+/g, ' ');
      if (text === '') continue;
      const last = out[out.length - 1];
      if (last?.type === 'text') last.text += text;
      else out.push({ type: 'text', text });
      continue;
    }
    if (!isElement(c)) continue; // comments, processing instructions
    out.push(...readNarrativeElement(c, ctx, depth + 1));
  }
  return trimEdges(out);
}

/** Leading/trailing whitespace of a block is layout, not content. */
function trimEdges(nodes: NarrativeNode[]): NarrativeNode[] {
  const first = nodes[0];
  if (first?.type === 'text') {
    first.text = first.text.replace(/^ /, '');
    if (first.text === '') nodes.shift();
  }
  const last = nodes[nodes.length - 1];
  if (last?.type === 'text') {
    last.text = last.text.replace(/ $/, '');
    if (last.text === '') nodes.pop();
  }
  return nodes;
}

function unknown(el: XElement): NarrativeNode {
  const name = el.prefix ? `${el.prefix}:${localName(el)}` : localName(el);
  const text = textOf(el, 300);
  return text ? { type: 'unknown', name, text } : { type: 'unknown', name };
}

function readNarrativeElement(el: XElement, ctx: BodyContext, depth: number): NarrativeNode[] {
  if (depth > ctx.maxDepth) return [truncated(ctx)];
  if (!isHl7(el)) return [unknown(el)];
  switch (localName(el)) {
    case 'content': {
      const revised = attr(el, 'revised');
      const node: NarrativeNode = { type: 'content', styles: readStyles(el), children: readNarrative(el, ctx, depth) };
      if (revised === 'insert' || revised === 'delete') node.revised = revised;
      return [node];
    }
    case 'paragraph': {
      const caption = firstCaption(el, ctx, depth);
      const node: NarrativeNode = { type: 'paragraph', styles: readStyles(el), children: readNarrativeExcept(el, ctx, depth, 'caption') };
      if (caption) node.caption = caption;
      return [node];
    }
    case 'br':
      return [{ type: 'br' }];
    case 'sub':
      return [{ type: 'sub', children: readNarrative(el, ctx, depth) }];
    case 'sup':
      return [{ type: 'sup', children: readNarrative(el, ctx, depth) }];
    case 'footnote': {
      const id = attr(el, 'ID');
      return [id ? { type: 'footnote', id, children: readNarrative(el, ctx, depth) } : { type: 'footnote', children: readNarrative(el, ctx, depth) }];
    }
    case 'footnoteRef': {
      const idref = attr(el, 'IDREF');
      return [idref ? { type: 'footnoteRef', idref } : { type: 'footnoteRef' }];
    }
    case 'linkHtml': {
      const href = attr(el, 'href')?.trim();
      const node: NarrativeNode = {
        type: 'link',
        safeScheme: href !== undefined && /^(https?:|mailto:|#)/i.test(href),
        children: readNarrative(el, ctx, depth),
      };
      if (href) node.href = href.length > 500 ? `${href.slice(0, 500)}…` : href;
      return [node];
    }
    case 'renderMultiMedia':
      return readRenderMultiMedia(el, ctx, depth);
    case 'list':
      return [readList(el, ctx, depth)];
    case 'table':
      return [readTable(el, ctx, depth)];
    default:
      return [unknown(el)];
  }
}

function readNarrativeExcept(el: XElement, ctx: BodyContext, depth: number, skip: string): NarrativeNode[] {
  // Same as readNarrative but leaves out one structural child (caption).
  const out: NarrativeNode[] = [];
  for (let c: XNode | null = el.firstChild; c; c = c.nextSibling) {
    if (!spend(ctx)) break;
    if (isTextNode(c)) {
      const text = (c as unknown as { data: string }).data.replace(/\s+/g, ' ');
      const last = out[out.length - 1];
      if (text === '') continue;
      if (last?.type === 'text') last.text += text;
      else out.push({ type: 'text', text });
    } else if (isElement(c)) {
      if (isHl7(c) && localName(c) === skip) continue;
      out.push(...readNarrativeElement(c, ctx, depth + 1));
    }
  }
  return trimEdges(out);
}

function firstCaption(el: XElement, ctx: BodyContext, depth: number): NarrativeNode[] | undefined {
  const caption = elementChildren(el).find((c) => isHl7(c) && localName(c) === 'caption');
  if (!caption) return undefined;
  const nodes = readNarrative(caption, ctx, depth + 1);
  return nodes.length > 0 ? nodes : undefined;
}

function readList(el: XElement, ctx: BodyContext, depth: number): NarrativeNode {
  const items: NarrativeNode[][] = [];
  for (const c of elementChildren(el)) {
    if (!isHl7(c) || localName(c) !== 'item') continue;
    if (!spend(ctx)) break;
    items.push(readNarrativeExcept(c, ctx, depth + 1, 'caption'));
  }
  const node: NarrativeNode = { type: 'list', ordered: attr(el, 'listType') === 'ordered', items };
  const caption = firstCaption(el, ctx, depth);
  if (caption) node.caption = caption;
  return node;
}

const MAX_SPAN = 1000;

function span(value: string | undefined): number | undefined {
  if (!value || !/^\d+$/.test(value.trim())) return undefined;
  const n = Number(value);
  return n > 1 ? Math.min(n, MAX_SPAN) : undefined;
}

function readTable(el: XElement, ctx: BodyContext, depth: number): NarrativeTable {
  const table: NarrativeTable = { type: 'table', groups: [] };
  let implicit: NarrativeTableGroup | undefined;
  for (const c of elementChildren(el)) {
    if (!isHl7(c)) continue;
    const name = localName(c);
    if (name === 'caption') {
      const caption = readNarrative(c, ctx, depth + 1);
      if (caption.length > 0) table.caption = caption;
    } else if (name === 'thead' || name === 'tbody' || name === 'tfoot') {
      table.groups.push({ kind: name, rows: readRows(c, ctx, depth + 1) });
      implicit = undefined;
    } else if (name === 'tr') {
      // Not schema-valid (tr belongs in tbody) but seen in the wild: keep the row.
      if (!implicit) {
        implicit = { kind: 'tbody', rows: [] };
        table.groups.push(implicit);
      }
      implicit.rows.push(...readRows(el, ctx, depth + 1, c));
    }
  }
  return table;
}

function readRows(group: XElement, ctx: BodyContext, depth: number, only?: XElement): NarrativeTableGroup['rows'] {
  const rows: NarrativeTableGroup['rows'] = [];
  const trs = only ? [only] : elementChildren(group).filter((r) => isHl7(r) && localName(r) === 'tr');
  for (const tr of trs) {
    if (depth > ctx.maxDepth) break;
    const cells: NarrativeTableCell[] = [];
    for (const cell of elementChildren(tr)) {
      const name = localName(cell);
      if (!isHl7(cell) || (name !== 'td' && name !== 'th')) continue;
      if (!spend(ctx)) break;
      const out: NarrativeTableCell = { header: name === 'th', styles: readStyles(cell), children: readNarrative(cell, ctx, depth + 2) };
      const colSpan = span(attr(cell, 'colspan'));
      const rowSpan = span(attr(cell, 'rowspan'));
      if (colSpan) out.colSpan = colSpan;
      if (rowSpan) out.rowSpan = rowSpan;
      cells.push(out);
    }
    rows.push({ cells });
  }
  return rows;
}

function readRenderMultiMedia(el: XElement, ctx: BodyContext, depth: number): NarrativeNode[] {
  const refs = (attr(el, 'referencedObject') ?? '').split(/\s+/).filter((r) => r !== '');
  const caption = firstCaption(el, ctx, depth);
  const withCaption = <T extends NarrativeNode>(node: T): T => (caption ? { ...node, caption } : node);
  if (refs.length === 0) return [withCaption({ type: 'media', objectId: '', status: 'missing' })];
  return refs.map((objectId): NarrativeNode => {
    const media = ctx.media(objectId);
    if (!media) return withCaption({ type: 'media', objectId, status: 'missing' });
    const base = { type: 'media' as const, objectId, ...(media.mediaType ? { mediaType: media.mediaType } : {}) };
    if (!media.bytes) {
      if (media.reference) {
        ctx.warnings.add('Une image ou un fichier externe référencé par le document n\u2019a pas été chargé (aucun accès réseau).');
        return withCaption({ ...base, status: 'external', reference: media.reference });
      }
      return withCaption({ ...base, status: 'invalid' });
    }
    if (media.mediaType === 'application/pdf') return withCaption({ ...base, status: media.error ? 'invalid' : 'pdf' });
    if (media.mediaType && IMAGE_TYPES.includes(media.mediaType)) {
      const sniffed = sniffImageType(media.bytes);
      if (sniffed !== media.mediaType) {
        ctx.warnings.add(`Image ${objectId} : le contenu ne correspond pas au type annoncé (${media.mediaType}), elle n\u2019est pas affichée.`);
        return withCaption({ ...base, status: 'invalid' });
      }
      const mediaType = sniffed as CdaImageType;
      return withCaption({ type: 'image', objectId, mediaType, dataUri: `data:${mediaType};base64,${bytesToBase64(media.bytes)}` });
    }
    return withCaption({ ...base, status: 'unsupported' });
  });
}
