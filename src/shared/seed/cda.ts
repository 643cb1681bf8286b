import { DOC_TYPES, type DocTypeKey } from './catalog';
import { parseInstant, toHl7Utc } from '../time';

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

function cdaTime(iso: string): string {
  const d = parseInstant(iso);
  if (!d) throw new Error(`date de document invalide : ${iso}`);
  return toHl7Utc(d);
}

export interface CdaInput {
  docId: string;
  type: DocTypeKey;
  title: string;
  date: string;
  patient: { ipp: string; ippRoot: string; family: string; given: string; sex: 'M' | 'F'; birthDate: string };
  author: string;
  unit: string;
  text: string;
}

/**
 * A short CDA R2 document with the CI-SIS header templateIds (DOMAIN.md §5) and one narrative
 * section: enough for the viewer and the DMP metadata, small enough for millions of documents.
 */
export function shortCda(d: CdaInput): string {
  const t = DOC_TYPES[d.type];
  const specific = t.templateId ? `<templateId root="${t.templateId}"/>` : '';
  const [authorFamily, ...authorGiven] = d.author.replace(/^(Dr|Pr) /, '').split(' ').reverse();
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<ClinicalDocument xmlns="urn:hl7-org:v3"><realmCode code="FR"/>' +
    '<typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>' +
    '<templateId root="2.16.840.1.113883.2.8.2.1"/><templateId root="1.2.250.1.213.1.1.1.1"/>' +
    specific +
    `<id root="1.2.250.1.213.1.1.9" extension="${esc(d.docId)}"/>` +
    `<code code="${t.code}" codeSystem="2.16.840.1.113883.6.1" displayName="${esc(t.label)}"/>` +
    `<title>${esc(d.title)}</title><effectiveTime value="${cdaTime(d.date)}"/>` +
    '<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/><languageCode code="fr-FR"/>' +
    `<recordTarget><patientRole><id root="${esc(d.patient.ippRoot)}" extension="${d.patient.ipp}"/><patient>` +
    `<name><family qualifier="BR">${esc(d.patient.family)}</family><given>${esc(d.patient.given)}</given></name>` +
    `<administrativeGenderCode code="${d.patient.sex}" codeSystem="2.16.840.1.113883.5.1"/>` +
    `<birthTime value="${d.patient.birthDate.replace(/-/g, '')}"/></patient></patientRole></recordTarget>` +
    `<author><time value="${cdaTime(d.date)}"/><assignedAuthor><id nullFlavor="UNK"/><assignedPerson><name>` +
    `<family>${esc(authorFamily ?? '')}</family><given>${esc(authorGiven.reverse().join(' '))}</given></name></assignedPerson>` +
    `</assignedAuthor></author><custodian><assignedCustodian><representedCustodianOrganization><id nullFlavor="UNK"/>` +
    `<name>CHU — ${esc(d.unit)}</name></representedCustodianOrganization></assignedCustodian></custodian>` +
    `<component><structuredBody><component><section><title>${esc(d.title)}</title><text><paragraph>${esc(d.text)}</paragraph>` +
    '</text></section></component></structuredBody></component></ClinicalDocument>'
  );
}
