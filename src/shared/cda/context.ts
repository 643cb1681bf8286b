import { base64ToBytes } from '../text/base64';
import { looksLikePdf } from './sniff';
import type { ReferenceResolver } from './readers';
import type { CdaAttachment } from './types';
import { attr, hl7Child, forEachElement, localName, rawTextOf, textOf, type XElement } from './xml';

export const DEFAULT_MAX_DEPTH = 200;
/** Narrative nodes kept per document: beyond this the UI would freeze anyway. */
export const MAX_NARRATIVE_NODES = 200_000;

/** State shared while reading one document body. */
export interface BodyContext {
  maxDepth: number;
  warnings: Set<string>;
  nodeBudget: number;
  resolve: ReferenceResolver;
  /** observationMedia by ID, decoded on first use. */
  media(id: string): CdaAttachment | undefined;
}

/** One iterative pass over the body: IDs (narrative and observationMedia) are indexed, not copied. */
export function createBodyContext(body: XElement | undefined, maxDepth: number): BodyContext {
  const byId = new Map<string, XElement>();
  const mediaById = new Map<string, XElement>();
  if (body) {
    forEachElement(body, (el) => {
      const id = el.getAttribute('ID');
      if (!id) return;
      if (localName(el) === 'observationMedia') mediaById.set(id, el);
      else if (!byId.has(id)) byId.set(id, el);
    });
  }
  const textCache = new Map<string, string | undefined>();
  const mediaCache = new Map<string, CdaAttachment>();
  const ctx: BodyContext = {
    maxDepth,
    warnings: new Set(),
    nodeBudget: MAX_NARRATIVE_NODES,
    resolve(ref) {
      const id = ref.trim().replace(/^#/, '');
      if (id === '') return undefined;
      if (!textCache.has(id)) {
        const el = byId.get(id);
        const text = el ? textOf(el, 4000) : undefined;
        textCache.set(id, text === '' ? undefined : text);
      }
      return textCache.get(id);
    },
    media(id) {
      const el = mediaById.get(id);
      if (!el) return undefined;
      let cached = mediaCache.get(id);
      if (!cached) {
        cached = readObservationMedia(el, ctx);
        mediaCache.set(id, cached);
      }
      return cached;
    },
  };
  return ctx;
}

/** Decodes an ED value (observationMedia/value, nonXMLBody/text) that is inline base64. */
export function readEncapsulated(value: XElement | undefined): Omit<CdaAttachment, 'id'> & { plainText?: string } {
  const out: Omit<CdaAttachment, 'id'> & { plainText?: string } = {};
  if (!value) {
    out.error = 'Contenu absent.';
    return out;
  }
  const mediaType = attr(value, 'mediaType')?.trim().toLowerCase();
  if (mediaType) out.mediaType = mediaType;
  const reference = hl7Child(value, 'reference');
  const refValue = attr(reference, 'value');
  if (refValue) out.reference = refValue;
  const compression = attr(value, 'compression');
  const representation = attr(value, 'representation');
  const raw = rawTextOf(value);
  if (compression) {
    out.error = `Contenu compressé (${compression}) : format non pris en charge.`;
    return out;
  }
  if (representation === 'B64') {
    if (raw.trim() === '') {
      if (!refValue) out.error = 'Contenu base64 vide.';
      return out;
    }
    const bytes = base64ToBytes(raw, { lenient: true });
    if (!bytes) {
      out.error = 'Contenu base64 invalide : il ne peut pas être décodé.';
      return out;
    }
    out.bytes = bytes;
    if (mediaType === 'application/pdf' && !looksLikePdf(bytes)) {
      out.error = 'Le contenu annoncé comme PDF ne commence pas par l\u2019en-tête %PDF.';
    }
    return out;
  }
  const text = textOf(value, 1_000_000);
  if (text) out.plainText = text;
  return out;
}

function readObservationMedia(el: XElement, ctx: BodyContext): CdaAttachment {
  const id = el.getAttribute('ID') ?? undefined;
  const { plainText: _ignored, ...content } = readEncapsulated(hl7Child(el, 'value'));
  if (content.error) ctx.warnings.add(`Pièce jointe ${id ?? ''} : ${content.error}`.replace('  ', ' '));
  return id ? { id, ...content } : content;
}
