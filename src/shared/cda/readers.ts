// Readers for the CDA data types shared by header and entries (II, CD, TS/IVL_TS, PN, AD, TEL).
import { formatPersonName } from './format';
import { parseCdaTime } from './time';
import type { CdaAssignedEntity, CdaCode, CdaIdentifier, CdaInterval, CdaOrganization, CdaPersonName, CdaTelecom } from './types';
import { attr, hl7Child, hl7Children, collapseSpaces, elementChildren, isHl7, localName, textOf, type XElement } from './xml';

/** Resolves `<reference value="#id"/>` to the narrative text carrying that ID. */
export type ReferenceResolver = (ref: string) => string | undefined;

export const noReferences: ReferenceResolver = () => undefined;

export function readId(el: XElement | undefined): CdaIdentifier | undefined {
  if (!el) return undefined;
  const id: CdaIdentifier = {};
  const root = attr(el, 'root');
  const extension = attr(el, 'extension');
  const authority = attr(el, 'assigningAuthorityName');
  const nullFlavor = attr(el, 'nullFlavor');
  if (root) id.root = root;
  if (extension) id.extension = extension;
  if (authority) id.assigningAuthorityName = authority;
  if (nullFlavor) id.nullFlavor = nullFlavor;
  return id;
}

export function readIds(el: XElement | undefined, name = 'id'): CdaIdentifier[] {
  return hl7Children(el, name)
    .map((e) => readId(e))
    .filter((i): i is CdaIdentifier => i !== undefined);
}

/** Text of an element that may hold `<reference value="#x"/>` instead of text. */
export function readTextOrReference(el: XElement | undefined, resolve: ReferenceResolver): string | undefined {
  if (!el) return undefined;
  const ref = hl7Child(el, 'reference');
  if (ref) {
    const value = attr(ref, 'value');
    const resolved = value ? resolve(value) : undefined;
    if (resolved) return resolved;
  }
  const text = textOf(el, 4000);
  return text === '' ? undefined : text;
}

export function readCode(el: XElement | undefined, resolve: ReferenceResolver = noReferences, depth = 0): CdaCode | undefined {
  if (!el) return undefined;
  const code: CdaCode = { translations: [] };
  for (const key of ['code', 'codeSystem', 'codeSystemName', 'displayName', 'nullFlavor'] as const) {
    const v = attr(el, key);
    if (v) code[key] = v.trim();
  }
  const original = readTextOrReference(hl7Child(el, 'originalText'), resolve);
  if (original) code.originalText = original;
  if (depth === 0) {
    for (const t of hl7Children(el, 'translation')) {
      const tr = readCode(t, resolve, 1);
      if (tr) code.translations.push(tr);
    }
  }
  if (!code.code && !code.displayName && !code.originalText && !code.nullFlavor && code.translations.length === 0) {
    return undefined;
  }
  return code;
}

export function readInterval(el: XElement | undefined): CdaInterval | undefined {
  if (!el) return undefined;
  const interval: CdaInterval = {};
  const value = parseCdaTime(attr(el, 'value'));
  if (value) interval.value = value;
  const low = parseCdaTime(attr(hl7Child(el, 'low'), 'value'));
  if (low) interval.low = low;
  const high = parseCdaTime(attr(hl7Child(el, 'high'), 'value'));
  if (high) interval.high = high;
  const center = parseCdaTime(attr(hl7Child(el, 'center'), 'value'));
  if (center && !interval.value) interval.value = center;
  const nullFlavor = attr(el, 'nullFlavor');
  if (nullFlavor) interval.nullFlavor = nullFlavor;
  if (!interval.value && !interval.low && !interval.high && !interval.nullFlavor) return undefined;
  return interval;
}

export function readName(el: XElement | undefined): CdaPersonName | undefined {
  if (!el) return undefined;
  const name: CdaPersonName = { prefixes: [], givens: [], families: [], suffixes: [], display: '' };
  let loose = '';
  for (const part of elementChildren(el)) {
    if (!isHl7(part)) continue;
    const text = textOf(part, 500);
    if (!text) continue;
    switch (localName(part)) {
      case 'prefix':
        name.prefixes.push(text);
        break;
      case 'given':
        name.givens.push(text);
        break;
      case 'family':
        name.families.push(text);
        break;
      case 'suffix':
        name.suffixes.push(text);
        break;
      default:
        break;
    }
  }
  if (name.givens.length + name.families.length === 0) {
    // Unstructured name: <name>Jean DUPONT</name>
    loose = textOf(el, 500);
    if (!loose) return undefined;
  }
  name.display = loose || formatPersonName(name);
  return name;
}

export function readAddressLines(el: XElement | undefined): string[] {
  if (!el || attr(el, 'nullFlavor')) return [];
  const lines: string[] = [];
  const get = (n: string) => hl7Children(el, n).map((e) => textOf(e, 300)).filter((s) => s !== '');
  lines.push(...get('streetAddressLine'));
  const street = [...get('houseNumber'), ...get('houseNumberNumeric'), ...get('streetName'), ...get('streetNameType'), ...get('streetNameBase')]
    .join(' ')
    .trim();
  if (street) lines.push(street);
  lines.push(...get('unitID'), ...get('additionalLocator'), ...get('postBox'));
  const city = [...get('postalCode'), ...get('city')].join(' ').trim();
  if (city) lines.push(city);
  lines.push(...get('country'));
  if (lines.length === 0) {
    const loose = textOf(el, 300);
    if (loose) lines.push(loose);
  }
  return lines;
}

export function readTelecoms(el: XElement | undefined): CdaTelecom[] {
  return hl7Children(el, 'telecom')
    .filter((t) => !attr(t, 'nullFlavor') && attr(t, 'value'))
    .map((t) => {
      const telecom: CdaTelecom = { value: collapseSpaces(attr(t, 'value') as string) };
      const use = attr(t, 'use');
      if (use) telecom.use = use;
      return telecom;
    });
}

export function readOrganization(el: XElement | undefined): CdaOrganization | undefined {
  if (!el) return undefined;
  const org: CdaOrganization = {
    ids: readIds(el),
    telecoms: readTelecoms(el),
    addressLines: hl7Children(el, 'addr').flatMap((a) => readAddressLines(a)),
  };
  const name = hl7Children(el, 'name')
    .map((n) => textOf(n, 300))
    .filter((s) => s !== '')
    .join(' / ');
  if (name) org.name = name;
  const industry = readCode(hl7Child(el, 'standardIndustryClassCode'));
  if (industry) org.industryClass = industry;
  return org;
}

/**
 * assignedAuthor / assignedEntity / associatedEntity / intendedRecipient: the person element and
 * organisation element names differ by role, so all known names are tried.
 */
export function readAssignedEntity(el: XElement | undefined): CdaAssignedEntity {
  const entity: CdaAssignedEntity = {
    ids: readIds(el),
    addressLines: hl7Children(el, 'addr').flatMap((a) => readAddressLines(a)),
    telecoms: readTelecoms(el),
  };
  if (!el) return entity;
  const code = readCode(hl7Child(el, 'code'));
  if (code) entity.code = code;
  const personEl =
    hl7Child(el, 'assignedPerson') ??
    hl7Child(el, 'associatedPerson') ??
    hl7Child(el, 'informationRecipient') ??
    hl7Child(el, 'relatedPerson') ??
    hl7Child(el, 'guardianPerson');
  const person = readName(hl7Child(personEl, 'name'));
  if (person) entity.person = person;
  const orgEl =
    hl7Child(el, 'representedOrganization') ??
    hl7Child(el, 'scopingOrganization') ??
    hl7Child(el, 'receivedOrganization') ??
    hl7Child(el, 'representedCustodianOrganization');
  const org = readOrganization(orgEl);
  if (org) entity.organization = org;
  const device = hl7Child(el, 'assignedAuthoringDevice');
  if (device) {
    const softwareName = textOf(hl7Child(device, 'softwareName'), 200) || textOf(hl7Child(device, 'manufacturerModelName'), 200);
    if (softwareName) entity.device = softwareName;
  }
  return entity;
}
