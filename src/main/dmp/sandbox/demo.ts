import { randomUUID } from 'node:crypto';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Element } from '@xmldom/xmldom';
import { NS, newDocument, serialize } from '../xml';
import type { VisibilityCode } from '../types';
import type { DmpSandbox } from './server';
import { INS_OID } from '../../../shared/ins/oids';
import { toHl7Utc } from '../../../shared/time';

export interface DemoPatient {
  ins: string;
  given: string;
  family: string;
  /** YYYY-MM-DD */
  birthDate: string;
  sex: 'M' | 'F' | 'U';
}

export interface DocKind {
  loinc: string;
  display: string;
  title: string;
  template?: string;
  level: 1 | 3;
  sectionTitle: string;
  lines: string[];
}

export const DEMO_KINDS: DocKind[] = [
  { loinc: '11490-0', display: "Lettre de liaison à la sortie d'un établissement de soins", title: 'Lettre de liaison à la sortie', template: '1.2.250.1.213.1.1.1.29', level: 3, sectionTitle: 'Synthèse du séjour', lines: ['Hospitalisation pour décompensation cardiaque.', 'Traitement de sortie : furosémide 40 mg/j, bisoprolol 2,5 mg/j.', 'Suivi cardiologique à 1 mois.'] },
  { loinc: '18761-7', display: "Lettre de liaison à l'entrée en établissement de soins", title: "Lettre de liaison à l'entrée", template: '1.2.250.1.213.1.1.1.21', level: 3, sectionTitle: "Motif d'admission", lines: ['Dyspnée d’effort progressive.', 'Antécédents : HTA, diabète de type 2.'] },
  { loinc: '34874-8', display: 'Compte rendu opératoire', title: 'Compte rendu opératoire', level: 1, sectionTitle: 'Intervention', lines: ['Cholécystectomie par cœlioscopie.', 'Suites opératoires simples.'] },
  { loinc: '15507-7', display: 'CR de passage aux urgences', title: 'Compte rendu de passage aux urgences', level: 1, sectionTitle: 'Passage aux urgences', lines: ['Chute à domicile, traumatisme du poignet droit.', 'Radiographie : fracture de Pouteau-Colles, immobilisation.'] },
  { loinc: '18748-4', display: "CR d'imagerie médicale", title: "Compte rendu d'imagerie", template: '1.2.250.1.213.1.1.1.45', level: 3, sectionTitle: 'Conclusion', lines: ['Scanner thoracique : pas d’embolie pulmonaire.', 'Épanchement pleural droit de faible abondance.'] },
  { loinc: '11502-2', display: 'CR de biologie', title: 'Compte rendu de biologie', template: '1.3.6.1.4.1.19376.1.3.3', level: 3, sectionTitle: 'Résultats', lines: ['Hémoglobine : 12,1 g/dL', 'Créatinine : 88 µmol/L', 'TSH : 2,1 mUI/L'] },
];

/** Small deterministic PRNG so a patient's demo DMP is the same at every start. */
function rng(seed: string): () => number {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  return () => {
    h = Math.imul(h ^ (h >>> 15), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return ((h ^= h >>> 16) >>> 0) / 4294967296;
  };
}

async function makeDemoPdf(title: string, lines: string[]): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setCreationDate(new Date(0));
  pdf.setModificationDate(new Date(0));
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const page = pdf.addPage([595, 842]);
  page.drawText(title, { x: 50, y: 780, size: 16, font });
  // Standard fonts are WinAnsi: keep to Latin-1 (accents fine, no typographic apostrophes).
  lines.forEach((l, i) => page.drawText(l.replace(/[’]/g, "'").replace(/[^\x20-\xff]/g, '?'), { x: 50, y: 740 - i * 18, size: 11, font }));
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}

/** A CI-SIS-shaped CDA R2 for a demo patient, built as a DOM (no text splicing). */
export function makeDemoCda(p: DemoPatient, kind: DocKind, date: Date, opts: { pdf?: Buffer; extraRows?: number; patientAuthored?: boolean } = {}): Buffer {
  const doc = newDocument(NS.hl7, 'ClinicalDocument');
  const root = doc.documentElement!;
  const h = (parent: Element, local: string, attrs: Record<string, string> = {}, text?: string): Element => {
    const e = doc.createElementNS(NS.hl7, local);
    for (const [k, v] of Object.entries(attrs)) {
      if (k.startsWith('xsi:')) e.setAttributeNS(NS.xsi, k, v);
      else e.setAttribute(k, v);
    }
    if (text !== undefined) e.appendChild(doc.createTextNode(text));
    parent.appendChild(e);
    return e;
  };
  h(root, 'realmCode', { code: 'FR' });
  h(root, 'typeId', { root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' });
  h(root, 'templateId', { root: '2.16.840.1.113883.2.8.2.1' });
  h(root, 'templateId', { root: '1.2.250.1.213.1.1.1.1' });
  if (kind.level === 1) h(root, 'templateId', { root: '1.3.6.1.4.1.19376.1.2.20' });
  else if (kind.template) h(root, 'templateId', { root: kind.template });
  h(root, 'id', { root: `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`).toString()}` });
  const loinc = opts.patientAuthored ? { code: '90', display: 'Expression personnelle du patient' } : { code: kind.loinc, display: kind.display };
  h(root, 'code', { code: loinc.code, codeSystem: '2.16.840.1.113883.6.1', displayName: loinc.display });
  h(root, 'title', {}, opts.patientAuthored ? 'Note personnelle du patient' : kind.title);
  h(root, 'effectiveTime', { value: toHl7Utc(date) });
  h(root, 'confidentialityCode', { code: 'N', codeSystem: '2.16.840.1.113883.5.25' });
  h(root, 'languageCode', { code: 'fr-FR' });
  const pr = h(h(root, 'recordTarget'), 'patientRole');
  h(pr, 'id', { root: INS_OID.TEST_NIR, extension: p.ins });
  const pat = h(pr, 'patient');
  const name = h(pat, 'name');
  h(name, 'family', { qualifier: 'BR' }, p.family);
  h(name, 'given', {}, p.given);
  h(pat, 'administrativeGenderCode', { code: p.sex, codeSystem: '2.16.840.1.113883.5.1' });
  h(pat, 'birthTime', { value: p.birthDate.replace(/-/g, '') });
  const au = h(root, 'author');
  h(au, 'time', { value: toHl7Utc(date) });
  const aa = h(au, 'assignedAuthor');
  h(aa, 'id', { root: '1.2.250.1.71.4.2.1', extension: '801234567897' });
  h(aa, 'code', { code: 'G15_10/SM26', codeSystem: '1.2.250.1.213.1.1.4.5', displayName: 'Médecin - Qualifié en Médecine Générale (SM)' });
  const ap = h(h(aa, 'assignedPerson'), 'name');
  h(ap, 'given', {}, 'Claire');
  h(ap, 'family', {}, 'MARTIN');
  const ro = h(aa, 'representedOrganization');
  h(ro, 'id', { root: '1.2.250.1.71.4.2.2', extension: '1750000000' });
  h(ro, 'name', {}, 'CHU de démonstration');
  const cust = h(h(h(root, 'custodian'), 'assignedCustodian'), 'representedCustodianOrganization');
  h(cust, 'id', { root: '1.2.250.1.71.4.2.2', extension: '1750000000' });
  h(cust, 'name', {}, 'CHU de démonstration');
  const la = h(root, 'legalAuthenticator');
  h(la, 'time', { value: toHl7Utc(date) });
  h(la, 'signatureCode', { code: 'S' });
  const lae = h(la, 'assignedEntity');
  h(lae, 'id', { root: '1.2.250.1.71.4.2.1', extension: '801234567897' });
  const lan = h(h(lae, 'assignedPerson'), 'name');
  h(lan, 'given', {}, 'Claire');
  h(lan, 'family', {}, 'MARTIN');
  const se = h(h(root, 'documentationOf'), 'serviceEvent');
  const eff = h(se, 'effectiveTime');
  h(eff, 'low', { value: toHl7Utc(new Date(date.getTime() - 3 * 86400_000)) });
  h(eff, 'high', { value: toHl7Utc(date) });
  const perf = h(h(h(se, 'performer', { typeCode: 'PRF' }), 'assignedEntity'), 'representedOrganization');
  h(perf, 'standardIndustryClassCode', { code: 'ETABLISSEMENT', codeSystem: '1.2.250.1.213.1.1.4.9', displayName: 'Etablissement de santé' });
  const enc = h(h(root, 'componentOf'), 'encompassingEncounter');
  const encEff = h(enc, 'effectiveTime');
  h(encEff, 'low', { value: toHl7Utc(new Date(date.getTime() - 3 * 86400_000)) });
  h(h(h(enc, 'location'), 'healthCareFacility'), 'code', { code: 'SA01', codeSystem: '1.2.250.1.71.4.2.4', displayName: 'Etablissement public de santé' });
  const comp = h(root, 'component');
  if (opts.pdf) {
    h(h(comp, 'nonXMLBody'), 'text', { mediaType: 'application/pdf', representation: 'B64' }, opts.pdf.toString('base64'));
  } else {
    const section = h(h(h(comp, 'structuredBody'), 'component'), 'section');
    h(section, 'title', {}, kind.sectionTitle);
    const text = h(section, 'text');
    for (const l of kind.lines) h(text, 'paragraph', {}, l);
    if (opts.extraRows) {
      const tbody = h(h(text, 'table'), 'tbody');
      for (let i = 0; i < opts.extraRows; i++) {
        const tr = h(tbody, 'tr');
        h(tr, 'td', {}, `Analyse ${i + 1}`);
        h(tr, 'td', {}, `${(4 + (i % 17) / 3).toFixed(2)} mmol/L`);
        h(tr, 'td', {}, 'Valeurs de référence : 3,50 – 5,10 mmol/L ; prélèvement veineux au pli du coude');
      }
    }
  }
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${serialize(doc)}`, 'utf8');
}

/**
 * Fills the sandbox with a varied DMP for each demo patient: level-1 (PDF) and level-3 CDAs,
 * masked, archived, replaced and patient-authored documents. Deterministic per INS.
 * Returns the number of documents added.
 */
export async function seedDemoPatients(sandbox: DmpSandbox, patients: DemoPatient[], opts: { documentsPerPatient?: number; authorStructure?: string } = {}): Promise<number> {
  let added = 0;
  for (const p of patients) {
    sandbox.ensurePatient({ ins: p.ins, given: p.given, family: p.family, birthDate: p.birthDate, sex: p.sex });
    const already = sandbox.store.state.entries.filter((e) => e.meta.patientCx.startsWith(`${p.ins}^`)).length;
    if (already) continue;
    const rand = rng(p.ins);
    const count = opts.documentsPerPatient ?? 10 + Math.floor(rand() * 41);
    const now = Date.UTC(2025, 0, 15);
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const kind = DEMO_KINDS[i % DEMO_KINDS.length]!;
      const date = new Date(now - Math.floor(rand() * 5 * 365) * 86400_000);
      const patientAuthored = i % 13 === 12;
      const pdf = kind.level === 1 ? await makeDemoPdf(kind.title, kind.lines) : undefined;
      const cda = makeDemoCda(p, kind, date, { ...(pdf ? { pdf } : {}), patientAuthored });
      const visibility: VisibilityCode[] = i % 9 === 4 ? ['MASQUE_PS'] : i % 11 === 6 ? ['INVISIBLE_PATIENT'] : [];
      const e = sandbox.addDocument(cda, {
        visibility,
        status: i % 10 === 7 ? 'archived' : 'approved',
        authorStructure: opts.authorStructure ?? 'DEMO-CHU',
        ...(patientAuthored ? { classCode: '90' } : {}),
      });
      ids.push(e.meta.entryUUID);
      added++;
      // Every 8th document gets a corrected version (RPLC); the old one becomes deprecated.
      if (i % 8 === 3) {
        const v2 = makeDemoCda(p, { ...kind, title: `${kind.title} (version corrigée)` }, new Date(date.getTime() + 86400_000), pdf ? { pdf } : {});
        sandbox.addDocument(v2, { replaces: e.meta.entryUUID, authorStructure: opts.authorStructure ?? 'DEMO-CHU' });
        added++;
      }
    }
  }
  return added;
}

/** A ~350 KB level-3 report (long lab table): the retrieve benchmark's document. */
export function makeLargeDemoCda(p: DemoPatient, date = new Date(Date.UTC(2024, 5, 1))): Buffer {
  return makeDemoCda(p, DEMO_KINDS[5]!, date, { extraRows: 2300 });
}
