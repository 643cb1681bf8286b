import { DEFAULT_IPP_SYSTEM } from '../../ins/oids';
import { textToBase64 } from '../../text/base64';
import { DOCTORS, DOC_TYPES, type DocTypeKey, type Unit } from '../catalog';
import { shortCda } from '../cda';
import { SYSTEMS, type FhirResource } from '../fhir-types';
import type { Rng } from '../prng';
import { HOUR, iso, ref, type PatientContext, type Stay } from './common';
import type { PatientFacts } from './patient';

export interface DocumentOptions {
  /** Mean documents per patient; each patient gets mean ± 6, at least 1. */
  mean: number;
  /** Short CDA or plain text content. */
  content: 'cda' | 'text';
}

function docTypeFor(rng: Rng, unit: Unit): DocTypeKey {
  if (unit === 'Urgences') return rng.weighted([['syntheseUrgences', 6], ['crImagerie', 3], ['crBiologie', 2]] as const);
  if (unit === 'Chirurgie digestive') {
    return rng.weighted([['crOperatoire', 4], ['ldlSortie', 3], ['crImagerie', 2], ['crBiologie', 1], ['ldlEntree', 1]] as const);
  }
  return rng.weighted([['ldlSortie', 4], ['ldlEntree', 1], ['crImagerie', 3], ['crBiologie', 2]] as const);
}

function narrative(type: DocTypeKey, motive: string, unit: string, author: string): string {
  switch (type) {
    case 'crOperatoire':
      return `Intervention pour ${motive.toLowerCase()}. Installation en décubitus dorsal, anesthésie générale. Geste réalisé sans incident. Suites simples attendues. Opérateur : ${author}.`;
    case 'syntheseUrgences':
      return `Motif de passage : ${motive.toLowerCase()}. Examen clinique, bilan biologique et imagerie réalisés. Orientation décidée en lien avec l'équipe. Rédigé par ${author}.`;
    case 'crImagerie':
      return `Indication : ${motive.toLowerCase()}. Technique standard. Résultat : pas d'anomalie aiguë décelée en dehors de signes en rapport avec le motif. Conclusion transmise au service de ${unit}.`;
    case 'crBiologie':
      return `Bilan biologique réalisé en ${unit}. Résultats commentés dans le dossier, à confronter à la clinique.`;
    case 'ldlEntree':
      return `Patient adressé en ${unit} pour ${motive.toLowerCase()}. Antécédents et traitements repris à l'entrée.`;
    case 'ldlSortie':
      return `Hospitalisation en ${unit} pour ${motive.toLowerCase()}. Évolution favorable. Traitement de sortie et suivi précisés. ${author}.`;
  }
}

/** DocumentReferences spread round-robin over the stays, typed by unit, dated up to 48 h after the stay. */
export function buildDocuments(ctx: PatientContext, stays: readonly Stay[], patient: PatientFacts, options: DocumentOptions): FhirResource[] {
  const { rng, ipp, pid, reference } = ctx;
  const resources: FhirResource[] = [];
  const nDocs = Math.max(1, rng.int(Math.max(1, options.mean - 6), options.mean + 6));
  const given = patient.given.join(' ');
  for (let k = 0; k < nDocs; k++) {
    const stay = stays[k % stays.length]!;
    const type = docTypeFor(rng, stay.unit);
    const author = rng.pick(DOCTORS);
    const date = iso(Math.min(reference, stay.end + rng.int(0, 48) * HOUR));
    const id = `doc-${ipp}-${k + 1}`;
    const t = DOC_TYPES[type];
    const title = `${t.label} — ${stay.unit}`;
    const text = narrative(type, stay.motive, stay.unit, author);
    const body =
      options.content === 'cda'
        ? shortCda({
            docId: id,
            type,
            title,
            date,
            patient: { ipp, ippRoot: DEFAULT_IPP_SYSTEM, family: patient.family, given, sex: patient.sex, birthDate: patient.birthDate },
            author,
            unit: stay.unit,
            text,
          })
        : text;
    const validated = rng.chance(0.85);
    resources.push({
      resourceType: 'DocumentReference',
      id,
      masterIdentifier: { system: SYSTEMS.seedIdentifier + 'document', value: id },
      status: 'current',
      docStatus: validated || rng.chance(0.5) ? 'final' : 'preliminary',
      type: { coding: [{ system: SYSTEMS.loinc, code: t.code, display: t.label }] },
      subject: ref(pid),
      date,
      author: [{ display: author }],
      ...(validated ? { authenticator: { display: author } } : {}),
      description: title,
      content: [
        {
          attachment: {
            contentType: options.content === 'cda' ? 'application/hl7-cda+xml' : 'text/plain; charset=utf-8',
            language: 'fr-FR',
            title,
            data: textToBase64(body),
          },
        },
      ],
      context: { encounter: [{ reference: `Encounter/${stay.id}` }] },
    });
  }
  return resources;
}
