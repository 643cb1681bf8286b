import { bytesToBase64 } from '../text/base64';
import { sniffImageType } from './sniff';
import { createBodyContext, readEncapsulated, type BodyContext } from './context';
import { readEntry, statementOf } from './entries';
import { readNarrative } from './narrative';
import { readCode, readId } from './readers';
import type { CdaAttachment, CdaBody, CdaSection } from './types';
import { attr, hl7Child, hl7Children, textOf, type XElement } from './xml';

export const PDF_COPY_LOINC = '55108-5';
const LOINC_OID = '2.16.840.1.113883.6.1';

export function readBody(root: XElement, maxDepth: number, warnings: string[]): CdaBody {
  const component = hl7Child(root, 'component');
  const structured = hl7Child(component, 'structuredBody');
  const nonXml = hl7Child(component, 'nonXMLBody');
  if (structured) {
    const ctx = createBodyContext(structured, maxDepth);
    const sections: CdaSection[] = [];
    for (const c of hl7Children(structured, 'component')) {
      const section = hl7Child(c, 'section');
      if (section) sections.push(readSection(section, ctx, 1));
    }
    warnings.push(...ctx.warnings);
    return { kind: 'structured', sections };
  }
  if (nonXml) {
    const content = readEncapsulated(hl7Child(nonXml, 'text'));
    const body: CdaBody = { kind: 'nonXml' };
    if (content.mediaType) body.mediaType = content.mediaType;
    if (content.bytes) body.bytes = content.bytes;
    if (content.plainText) body.plainText = content.plainText;
    if (content.bytes && !content.error && content.mediaType?.startsWith('text/plain')) {
      body.plainText = new TextDecoder('utf-8').decode(content.bytes);
    }
    const image = content.bytes && !content.error ? sniffImageType(content.bytes) : undefined;
    if (content.bytes && image && image === content.mediaType) {
      body.imageDataUri = `data:${image};base64,${bytesToBase64(content.bytes)}`;
    }
    if (content.reference) {
      body.reference = content.reference;
      if (!content.bytes) warnings.push('Le contenu du document est une référence externe : il n\u2019est pas chargé (aucun accès réseau).');
    }
    if (content.error) {
      body.error = content.error;
      warnings.push(`Corps du document : ${content.error}`);
    }
    return body;
  }
  return { kind: 'none' };
}

function readSection(el: XElement, ctx: BodyContext, depth: number): CdaSection {
  const section: CdaSection = {
    templateIds: hl7Children(el, 'templateId')
      .map((t) => attr(t, 'root'))
      .filter((r): r is string => !!r),
    text: [],
    entries: [],
    attachments: [],
    isPdfCopy: false,
    sections: [],
  };
  const id = readId(hl7Child(el, 'id'));
  if (id) section.id = id;
  const code = readCode(hl7Child(el, 'code'));
  if (code) section.code = code;
  section.isPdfCopy = code?.code === PDF_COPY_LOINC && (code.codeSystem === undefined || code.codeSystem === LOINC_OID);
  const title = textOf(hl7Child(el, 'title'), 1000);
  if (title) section.title = title;
  if (depth > ctx.maxDepth) {
    ctx.warnings.add(`Sections trop profondément imbriquées (plus de ${ctx.maxDepth} niveaux) : les plus profondes ne sont pas affichées.`);
    section.text = [{ type: 'truncated' }];
    return section;
  }
  const text = hl7Child(el, 'text');
  if (text) section.text = readNarrative(text, ctx, depth);
  const attachments: CdaAttachment[] = [];
  for (const e of hl7Children(el, 'entry')) {
    const statement = statementOf(e);
    if (statement) section.entries.push(readEntry(statement, ctx, depth + 1, attachments, attr(e, 'typeCode')));
  }
  section.attachments = dedupeAttachments(attachments);
  for (const c of hl7Children(el, 'component')) {
    const sub = hl7Child(c, 'section');
    if (sub) section.sections.push(readSection(sub, ctx, depth + 1));
  }
  return section;
}

function dedupeAttachments(list: CdaAttachment[]): CdaAttachment[] {
  const seen = new Set<CdaAttachment>();
  return list.filter((a) => (seen.has(a) ? false : (seen.add(a), true)));
}
