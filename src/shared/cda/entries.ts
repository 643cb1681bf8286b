// Coded entries (clinical statements) summarised for display and for alerts (allergies, treatments).
import type { BodyContext } from './context';
import { readEncapsulated } from './context';
import { formatCode } from './format';
import { own } from './own';
import { readCode, readIds, readInterval, readTextOrReference } from './readers';
import { formatCdaInterval, formatCdaTime, parseCdaTime } from './time';
import type { CdaAttachment, CdaEntry } from './types';
import { attr, hl7Child, hl7Children, elementChildren, isHl7, localName, textOf, xsiType, type XElement } from './xml';

export const CLINICAL_STATEMENTS = new Set([
  'observation',
  'regionOfInterest',
  'observationMedia',
  'substanceAdministration',
  'supply',
  'procedure',
  'encounter',
  'organizer',
  'act',
]);

/** The clinical statement inside an `entry` / `entryRelationship` / `component`, if any. */
export function statementOf(wrapper: XElement): XElement | undefined {
  return elementChildren(wrapper).find((c) => isHl7(c) && CLINICAL_STATEMENTS.has(localName(c)));
}

export function readEntry(
  el: XElement,
  ctx: BodyContext,
  depth: number,
  attachments: CdaAttachment[],
  relationType?: string,
): CdaEntry {
  const kind = localName(el);
  const entry: CdaEntry = {
    kind,
    negated: attr(el, 'negationInd') === 'true',
    templateIds: hl7Children(el, 'templateId')
      .map((t) => attr(t, 'root'))
      .filter((r): r is string => !!r),
    ids: readIds(el),
    participants: [],
    children: [],
  };
  if (relationType) entry.relationType = relationType;
  const classCode = attr(el, 'classCode');
  if (classCode) entry.classCode = classCode;
  const moodCode = attr(el, 'moodCode');
  if (moodCode) entry.moodCode = moodCode;
  const code = readCode(hl7Child(el, 'code'), ctx.resolve);
  if (code) entry.code = code;
  const text = readTextOrReference(hl7Child(el, 'text'), ctx.resolve);
  if (text) entry.text = text;
  const status = attr(hl7Child(el, 'statusCode'), 'code');
  if (status) entry.statusCode = status;

  for (const et of hl7Children(el, 'effectiveTime')) {
    const type = xsiType(et);
    if (type === 'PIVL_TS' || type === 'EIVL_TS' || type === 'SXPR_TS') {
      const frequency = formatFrequency(et, type);
      if (frequency && !entry.frequency) entry.frequency = frequency;
    } else if (!entry.effectiveTime) {
      const interval = readInterval(et);
      if (interval) entry.effectiveTime = interval;
    }
  }

  const values = hl7Children(el, 'value');
  const shown = values.map((v) => formatValue(v, ctx)).filter((s): s is string => !!s);
  if (shown.length > 0) entry.value = shown.join(' ; ');
  const firstValue = values[0];
  if (firstValue && (attr(firstValue, 'code') || attr(firstValue, 'displayName') || hl7Child(firstValue, 'originalText'))) {
    const valueCode = readCode(firstValue, ctx.resolve);
    if (valueCode) entry.valueCode = valueCode;
  }
  const interpretation = readCode(hl7Child(el, 'interpretationCode'), ctx.resolve);
  if (interpretation) entry.interpretation = interpretation;
  const range = hl7Child(hl7Child(el, 'referenceRange'), 'observationRange');
  if (range) {
    const shownRange = formatValue(hl7Child(range, 'value'), ctx) ?? readTextOrReference(hl7Child(range, 'text'), ctx.resolve);
    if (shownRange) entry.referenceRange = shownRange;
  }

  for (const p of hl7Children(el, 'participant')) {
    const role = hl7Child(p, 'participantRole');
    const thing = hl7Child(role, 'playingEntity') ?? hl7Child(role, 'playingDevice');
    const participant: CdaEntry['participants'][number] = {};
    const typeCode = attr(p, 'typeCode');
    if (typeCode) participant.typeCode = typeCode;
    const pcode = readCode(hl7Child(thing, 'code'), ctx.resolve);
    if (pcode) participant.code = pcode;
    const name = textOf(hl7Child(thing, 'name'), 300);
    if (name) participant.name = name;
    entry.participants.push(participant);
  }

  const material =
    hl7Child(hl7Child(hl7Child(el, 'consumable'), 'manufacturedProduct'), 'manufacturedMaterial') ??
    hl7Child(hl7Child(hl7Child(el, 'product'), 'manufacturedProduct'), 'manufacturedMaterial');
  if (material) {
    const product: NonNullable<CdaEntry['product']> = {};
    const pcode = readCode(hl7Child(material, 'code'), ctx.resolve);
    if (pcode) product.code = pcode;
    const name = textOf(hl7Child(material, 'name'), 300);
    if (name) product.name = name;
    entry.product = product;
  }
  const dose = formatQuantityRange(hl7Child(el, 'doseQuantity'));
  if (dose) entry.dose = dose;
  const route = readCode(hl7Child(el, 'routeCode'), ctx.resolve);
  if (route) entry.route = route;

  if (kind === 'observationMedia') {
    const id = attr(el, 'ID');
    const media = id ? ctx.media(id) : undefined;
    const attachment: CdaAttachment = media ?? { ...stripPlain(readEncapsulated(hl7Child(el, 'value'))), ...(id ? { id } : {}) };
    attachments.push(attachment);
    entry.value = attachment.mediaType ? `Fichier joint (${attachment.mediaType})` : 'Fichier joint';
  }

  if (depth >= ctx.maxDepth) {
    ctx.warnings.add(`Données codées trop profondément imbriquées (plus de ${ctx.maxDepth} niveaux) : la partie la plus profonde n\u2019est pas lue.`);
    return entry;
  }
  for (const rel of [...hl7Children(el, 'entryRelationship'), ...hl7Children(el, 'component')]) {
    const statement = statementOf(rel);
    if (statement) entry.children.push(readEntry(statement, ctx, depth + 1, attachments, attr(rel, 'typeCode')));
  }
  return entry;
}

function stripPlain(content: ReturnType<typeof readEncapsulated>): CdaAttachment {
  const { plainText: _plain, ...rest } = content;
  return rest;
}

function cleanUnit(unit: string | undefined): string {
  if (!unit || unit === '1') return '';
  return unit.replace(/[{}]/g, '');
}

function formatQuantity(el: XElement | undefined): string | undefined {
  if (!el) return undefined;
  const value = attr(el, 'value');
  if (value === undefined) return undefined;
  const unit = cleanUnit(attr(el, 'unit'));
  return unit ? `${value} ${unit}` : value;
}

function formatQuantityRange(el: XElement | undefined): string | undefined {
  if (!el) return undefined;
  const direct = formatQuantity(el);
  if (direct) return direct;
  const low = hl7Child(el, 'low');
  const high = hl7Child(el, 'high');
  const lowValue = attr(low, 'value');
  const highValue = attr(high, 'value');
  const lowUnit = cleanUnit(attr(low, 'unit'));
  const highUnit = cleanUnit(attr(high, 'unit'));
  if (lowValue !== undefined && highValue !== undefined) {
    if (lowValue === highValue && lowUnit === highUnit) return formatQuantity(low);
    if (lowUnit === highUnit) return `${lowValue} – ${highValue}${lowUnit ? ` ${lowUnit}` : ''}`;
    return `${formatQuantity(low)} – ${formatQuantity(high)}`;
  }
  if (lowValue !== undefined) return `≥ ${formatQuantity(low)}`;
  if (highValue !== undefined) return `≤ ${formatQuantity(high)}`;
  return undefined;
}

const PERIOD_UNITS: Record<string, [string, string]> = {
  s: ['chaque seconde', 's'],
  min: ['chaque minute', 'min'],
  h: ['chaque heure', 'h'],
  d: ['chaque jour', 'jours'],
  wk: ['chaque semaine', 'semaines'],
  mo: ['chaque mois', 'mois'],
  a: ['chaque année', 'ans'],
};

function formatFrequency(el: XElement, type: string): string | undefined {
  if (type === 'PIVL_TS') {
    const period = hl7Child(el, 'period');
    const value = attr(period, 'value');
    const unit = attr(period, 'unit') ?? '';
    if (!value) return undefined;
    const words = own(PERIOD_UNITS, unit);
    if (!words) return `période ${value} ${unit}`.trim();
    return Number(value) === 1 ? words[0] : `toutes les ${value} ${words[1]}`;
  }
  if (type === 'EIVL_TS') {
    const event = hl7Child(el, 'event');
    const code = attr(event, 'code');
    return code ? `selon l\u2019événement ${code}` : undefined;
  }
  return 'posologie complexe';
}

/** Human display of an ANY-typed value, by xsi:type. */
export function formatValue(el: XElement | undefined, ctx: BodyContext): string | undefined {
  if (!el) return undefined;
  if (attr(el, 'nullFlavor')) return undefined;
  const type = xsiType(el) ?? '';
  switch (type) {
    case 'PQ':
    case 'INT':
    case 'REAL':
    case 'MO':
      return formatQuantity(el) ?? (attr(el, 'currency') ? `${attr(el, 'value')} ${attr(el, 'currency')}` : undefined);
    case 'IVL_PQ':
    case 'IVL_INT':
    case 'IVL_REAL':
      return formatQuantityRange(el);
    case 'BL': {
      const v = attr(el, 'value');
      return v === 'true' ? 'oui' : v === 'false' ? 'non' : undefined;
    }
    case 'TS':
      return formatCdaTime(parseCdaTime(attr(el, 'value')));
    case 'IVL_TS':
      return formatCdaInterval(readInterval(el)) || undefined;
    case 'RTO':
    case 'RTO_PQ_PQ': {
      const num = formatQuantity(hl7Child(el, 'numerator'));
      const den = formatQuantity(hl7Child(el, 'denominator'));
      return num && den ? `${num} / ${den}` : num;
    }
    case 'CD':
    case 'CE':
    case 'CV':
    case 'CO':
    case 'CS':
      return formatCode(readCode(el, ctx.resolve)) || undefined;
    case 'ED':
      if (attr(el, 'representation') === 'B64') return `Contenu encapsulé${attr(el, 'mediaType') ? ` (${attr(el, 'mediaType')})` : ''}`;
      return readTextOrReference(el, ctx.resolve);
    default: {
      const code = readCode(el, ctx.resolve);
      if (code && (code.displayName || code.code)) return formatCode(code);
      const quantity = formatQuantity(el);
      if (quantity) return quantity;
      return readTextOrReference(el, ctx.resolve);
    }
  }
}
