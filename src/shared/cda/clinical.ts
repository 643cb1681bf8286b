// Allergies and treatments found in the coded entries of a structured CDA (IHE PCC / CI-SIS
// templates), each with its source document, for the chart banner's shared-data alerts.
import { documentTypeLabel } from '../loinc-labels';
import { formatCode } from './format';
import { cdaTimeToEpoch } from './time';
import type { CdaCode, CdaDocument, CdaEntry, CdaInterval, CdaSection, CdaTime } from './types';

export interface CdaClinicalSource {
  documentId?: string;
  title?: string;
  typeCode?: string;
  typeLabel: string;
  effectiveTime?: CdaTime;
  author?: string;
  organization?: string;
  sectionTitle?: string;
  /** Caller's own reference (e.g. the DMP entry UUID or the local document id). */
  externalRef?: string;
}

export interface CdaAllergy {
  /** Substance or agent (participant CSM), else the described allergy (value). */
  agent?: string;
  agentCode?: CdaCode;
  /** Allergy / intolerance type (observation code), e.g. "allergie médicamenteuse". */
  type?: string;
  description?: string;
  reactions: string[];
  severity?: string;
  /** statusCode of the concern (active, completed…) or of the observation. */
  status?: string;
  onset?: CdaTime;
  source: CdaClinicalSource;
}

export interface CdaTreatment {
  name: string;
  code?: CdaCode;
  /** ATC translation when the producer gave one. */
  atc?: CdaCode;
  dose?: string;
  frequency?: string;
  route?: string;
  period?: CdaInterval;
  status?: string;
  /** INT = prescribed / planned, EVN = taken / administered. */
  moodCode?: string;
  /** True when the period includes `at` (default: now) and the status does not end it. */
  current: boolean;
  source: CdaClinicalSource;
}

const ALLERGY_TEMPLATES = new Set([
  '1.3.6.1.4.1.19376.1.5.3.1.4.6', // IHE PCC Allergy and Intolerance Entry
  '2.16.840.1.113883.10.20.1.18', // CCD Alert observation
  '1.2.250.1.213.1.1.3.41', // CI-SIS FR-Allergie-ou-hypersensibilite
]);
const SEVERITY_TEMPLATE = '1.3.6.1.4.1.19376.1.5.3.1.4.1';
/** SNOMED CT "no known (drug/food/environmental) allergy": absence statements, not allergies. */
const NO_KNOWN_ALLERGY = new Set(['716186003', '409137002', '429625007', '428607008']);
const ATC_OID = '2.16.840.1.113883.6.73';
const ENDED_STATUSES = new Set(['aborted', 'cancelled', 'nullified', 'obsolete']);

export function sourceOf(doc: CdaDocument, extra: Partial<CdaClinicalSource> = {}): CdaClinicalSource {
  const h = doc.header;
  const author = h.authors[0]?.entity;
  const source: CdaClinicalSource = {
    typeLabel: documentTypeLabel(h.code?.code, h.code?.displayName ?? h.title),
  };
  if (h.id) source.documentId = h.id.extension ? `${h.id.root ?? ''}^${h.id.extension}` : (h.id.root ?? '');
  if (h.title) source.title = h.title;
  if (h.code?.code) source.typeCode = h.code.code;
  if (h.effectiveTime) source.effectiveTime = h.effectiveTime;
  if (author?.person) source.author = author.person.display;
  const organization = author?.organization?.name ?? h.custodian?.name;
  if (organization) source.organization = organization;
  return { ...source, ...extra };
}

function walk(sections: CdaSection[], visit: (entry: CdaEntry, section: CdaSection, parent?: CdaEntry) => void): void {
  const stack: { section: CdaSection }[] = sections.map((section) => ({ section }));
  while (stack.length > 0) {
    const { section } = stack.shift() as { section: CdaSection };
    const entries: { entry: CdaEntry; parent?: CdaEntry }[] = section.entries.map((entry) => ({ entry }));
    while (entries.length > 0) {
      const { entry, parent } = entries.shift() as { entry: CdaEntry; parent?: CdaEntry };
      visit(entry, section, parent);
      for (const c of entry.children) entries.push({ entry: c, parent: entry });
    }
    for (const s of section.sections) stack.push({ section: s });
  }
}

function sectionTitle(section: CdaSection): string | undefined {
  return section.title ?? section.code?.displayName;
}

export function extractAllergies(doc: CdaDocument, extra: Partial<CdaClinicalSource> = {}): CdaAllergy[] {
  if (doc.body.kind !== 'structured') return [];
  const base = sourceOf(doc, extra);
  const out: CdaAllergy[] = [];
  walk(doc.body.sections, (entry, section, parent) => {
    if (entry.kind !== 'observation' || !entry.templateIds.some((t) => ALLERGY_TEMPLATES.has(t))) return;
    if (entry.negated) return;
    if ([entry.code?.code, entry.valueCode?.code].some((c) => c !== undefined && NO_KNOWN_ALLERGY.has(c))) return;
    const agentParticipant = entry.participants.find((p) => p.typeCode === 'CSM') ?? entry.participants[0];
    const agent = agentParticipant ? agentParticipant.name ?? formatCode(agentParticipant.code) : undefined;
    const description = entry.value ?? entry.valueCode?.originalText;
    // An entry that names neither an agent nor an allergy says nothing actionable (the ANS
    // example uses one to mean "none identified"): no alert from it.
    if (!agent && !description) return;
    const allergy: CdaAllergy = { reactions: [], source: { ...base } };
    const title = sectionTitle(section);
    if (title) allergy.source.sectionTitle = title;
    if (agent) allergy.agent = agent;
    if (agentParticipant?.code) allergy.agentCode = agentParticipant.code;
    const type = formatCode(entry.code);
    if (type) allergy.type = type;
    if (description) allergy.description = description;
    for (const c of entry.children) {
      if (c.relationType === 'MFST' && c.value) allergy.reactions.push(c.value);
      if ((c.templateIds.includes(SEVERITY_TEMPLATE) || c.code?.code === 'SEV') && c.value) allergy.severity = c.value;
    }
    const status = parent?.kind === 'act' ? (parent.statusCode ?? entry.statusCode) : entry.statusCode;
    if (status) allergy.status = status;
    const onset = entry.effectiveTime?.low ?? entry.effectiveTime?.value;
    if (onset) allergy.onset = onset;
    out.push(allergy);
  });
  return out;
}

export function extractTreatments(
  doc: CdaDocument,
  opts: { at?: Date; source?: Partial<CdaClinicalSource> } = {},
): CdaTreatment[] {
  if (doc.body.kind !== 'structured') return [];
  const at = (opts.at ?? new Date()).getTime();
  const base = sourceOf(doc, opts.source);
  const out: CdaTreatment[] = [];
  walk(doc.body.sections, (entry, section, parent) => {
    if (entry.kind !== 'substanceAdministration' || entry.negated) return;
    // Nested administrations are dose steps of their parent (IHE split dosing), not treatments.
    if (parent?.kind === 'substanceAdministration') return;
    const name = entry.product?.name ?? formatCode(entry.product?.code) ?? '';
    const display = name || entry.text || formatCode(entry.code);
    if (!display) return;
    const treatment: CdaTreatment = { name: display, current: false, source: { ...base } };
    const title = sectionTitle(section);
    if (title) treatment.source.sectionTitle = title;
    if (entry.product?.code) {
      treatment.code = entry.product.code;
      const atc = entry.product.code.translations.find((t) => t.codeSystem === ATC_OID);
      if (atc) treatment.atc = atc;
    }
    if (entry.dose) treatment.dose = entry.dose;
    if (entry.frequency) treatment.frequency = entry.frequency;
    const route = formatCode(entry.route);
    if (route) treatment.route = route;
    if (entry.effectiveTime) treatment.period = entry.effectiveTime;
    if (entry.statusCode) treatment.status = entry.statusCode;
    if (entry.moodCode) treatment.moodCode = entry.moodCode;
    const start = cdaTimeToEpoch(entry.effectiveTime?.low ?? entry.effectiveTime?.value);
    const end = cdaTimeToEpoch(entry.effectiveTime?.high, true);
    const dated = start !== undefined || end !== undefined;
    treatment.current =
      !ENDED_STATUSES.has(entry.statusCode ?? '') &&
      // A single administration date (value) is an event, not an ongoing treatment.
      entry.effectiveTime?.value === undefined &&
      (dated
        ? (start === undefined || start <= at) && (end === undefined || end >= at)
        : entry.statusCode === 'active');
    out.push(treatment);
  });
  return out;
}
