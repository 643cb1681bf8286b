// French labels for the LOINC document types met in the DMP and the hospital record.
// Source: ANS terminology TRE_A04-Loinc (NOS, "LibelleAdapte"), shortened where the official
// label is long. Codes not checked against it are left out: the caller's display name is used.

export type DocumentCategory =
  | 'lettre-de-liaison'
  | 'compte-rendu'
  | 'imagerie'
  | 'biologie'
  | 'prescription'
  | 'vaccination'
  | 'synthese'
  | 'dispensation'
  | 'autre';

interface DocumentType {
  label: string;
  category: DocumentCategory;
}

const TYPE_LIST: Record<string, DocumentType> = {
  '11490-0': { label: 'Lettre de liaison à la sortie', category: 'lettre-de-liaison' },
  '18761-7': { label: 'Lettre de liaison à l\u2019entrée / note de transfert', category: 'lettre-de-liaison' },
  '83981-1': { label: 'Lettre de liaison à la sortie (médico-social)', category: 'lettre-de-liaison' },
  '88348-8': { label: 'Lettre de liaison à l\u2019entrée (médico-social)', category: 'lettre-de-liaison' },
  '34874-8': { label: 'Compte rendu opératoire', category: 'compte-rendu' },
  '15507-7': { label: 'Compte rendu de passage aux urgences', category: 'compte-rendu' },
  '74207-2': { label: 'Dossier de liaison d\u2019urgence', category: 'compte-rendu' },
  '18748-4': { label: 'Compte rendu d\u2019imagerie médicale', category: 'imagerie' },
  '11528-7': { label: 'Compte rendu d\u2019imagerie médicale', category: 'imagerie' },
  '55115-0': { label: 'Demande d\u2019actes d\u2019imagerie', category: 'prescription' },
  '52040-3': { label: 'Image d\u2019illustration (non DICOM)', category: 'imagerie' },
  '11502-2': { label: 'Compte rendu de biologie', category: 'biologie' },
  '51969-4': { label: 'Compte rendu de génétique moléculaire', category: 'biologie' },
  '11526-1': { label: 'Compte rendu d\u2019anatomo-cytopathologie', category: 'compte-rendu' },
  '11488-4': { label: 'Compte rendu de consultation', category: 'compte-rendu' },
  '34749-2': { label: 'Compte rendu de consultation pré-anesthésique', category: 'compte-rendu' },
  '10213-7': { label: 'Compte rendu d\u2019anesthésie', category: 'compte-rendu' },
  '77436-4': { label: 'Compte rendu d\u2019anesthésie', category: 'compte-rendu' },
  '34112-3': { label: 'Compte rendu d\u2019hospitalisation', category: 'compte-rendu' },
  '11493-4': { label: 'Compte rendu d\u2019hospitalisation', category: 'compte-rendu' },
  '46241-6': { label: 'Compte rendu d\u2019admission', category: 'compte-rendu' },
  '67851-6': { label: 'Compte rendu d\u2019admission', category: 'compte-rendu' },
  '15508-5': { label: 'Compte rendu d\u2019accouchement', category: 'compte-rendu' },
  '34794-8': { label: 'Compte rendu de réunion de concertation pluridisciplinaire', category: 'compte-rendu' },
  '11505-5': { label: 'Compte rendu d\u2019acte thérapeutique', category: 'compte-rendu' },
  '27899-4': { label: 'Compte rendu d\u2019acte diagnostique', category: 'compte-rendu' },
  '70004-7': { label: 'Compte rendu d\u2019acte diagnostique', category: 'compte-rendu' },
  '75482-0': { label: 'Compte rendu d\u2019acte thérapeutique à visée préventive', category: 'compte-rendu' },
  '75492-9': { label: 'Compte rendu d\u2019acte diagnostique à visée préventive ou de dépistage', category: 'compte-rendu' },
  '11506-3': { label: 'Compte rendu de suivi de soins par auxiliaire médical', category: 'compte-rendu' },
  '47420-5': { label: 'Bilan fonctionnel (auxiliaire médical)', category: 'compte-rendu' },
  '24611-6': { label: 'Compte rendu de télémédecine', category: 'compte-rendu' },
  '85208-7': { label: 'Compte rendu de télémédecine', category: 'compte-rendu' },
  '75496-0': { label: 'Demande d\u2019acte de télémédecine', category: 'prescription' },
  '78513-9': { label: 'Compte rendu de consultation en ophtalmologie', category: 'compte-rendu' },
  '59283-2': { label: 'Compte rendu d\u2019examen de l\u2019enfant', category: 'compte-rendu' },
  '68817-6': { label: 'Bilan de santé et de prévention de l\u2019enfant', category: 'compte-rendu' },
  '83901-9': { label: 'Bilan psychologique', category: 'compte-rendu' },
  '68599-0': { label: 'Synthèse psychiatrique', category: 'synthese' },
  '60591-5': { label: 'Synthèse médicale', category: 'synthese' },
  '34133-9': { label: 'Synthèse d\u2019épisode de soins', category: 'synthese' },
  '18776-5': { label: 'Plan personnalisé de soins', category: 'autre' },
  '57833-6': { label: 'Prescription de produits de santé', category: 'prescription' },
  '29551-9': { label: 'Prescription de médicaments', category: 'prescription' },
  '57832-8': { label: 'Prescription de soins', category: 'prescription' },
  '52521-2': { label: 'Prescription de soins', category: 'prescription' },
  '57828-6': { label: 'Prescription (autre)', category: 'prescription' },
  '52063-5': { label: 'Prescription (autre)', category: 'prescription' },
  '75468-9': { label: 'Renouvellement d\u2019ordonnance par le pharmacien', category: 'prescription' },
  '87273-9': { label: 'Note de vaccination', category: 'vaccination' },
  '11369-6': { label: 'Historique des vaccinations', category: 'vaccination' },
  '96874-3': { label: 'Attestation de vaccination COVID-19', category: 'vaccination' },
  '60593-1': { label: 'Dispensation médicamenteuse', category: 'dispensation' },
  '29550-1': { label: 'Dispensation médicamenteuse', category: 'dispensation' },
  '56445-0': { label: 'Bilan médicamenteux', category: 'dispensation' },
  '80820-4': { label: 'Conciliation médicamenteuse', category: 'dispensation' },
  '80565-5': { label: 'Compte rendu d\u2019administration de médicaments', category: 'dispensation' },
  '77604-7': { label: 'Planification thérapeutique', category: 'dispensation' },
  '61357-0': { label: 'Intervention pharmaceutique', category: 'dispensation' },
  '78601-2': { label: 'Compte rendu d\u2019entretien pharmaceutique', category: 'dispensation' },
  '93024-8': { label: 'Compte rendu de consultation pharmaceutique', category: 'dispensation' },
  '86531-1': { label: 'Attestation de sortie', category: 'autre' },
  '89601-9': { label: 'Certificat médical', category: 'autre' },
  '61358-8': { label: 'Consentement chirurgical', category: 'autre' },
  '61359-6': { label: 'Consentement anesthésique', category: 'autre' },
  '96173-0': { label: 'Attestation de dépistage', category: 'autre' },
  '34842-5': { label: 'Grille d\u2019évaluation médico-sociale', category: 'autre' },
  '80788-3': { label: 'Projet personnalisé d\u2019accompagnement', category: 'autre' },
  '83836-7': { label: 'Schéma dentaire', category: 'autre' },
  '29274-8': { label: 'Mesures de signes vitaux', category: 'autre' },
};

// A Map, not the object: codes come from outside and must never hit Object.prototype keys.
const TYPES = new Map<string, DocumentType>(Object.entries(TYPE_LIST));

/** French label of a document LOINC type, else the producer's display name, else the code. */
export function documentTypeLabel(code: string | undefined, fallbackDisplay?: string): string {
  const known = code ? TYPES.get(code.trim()) : undefined;
  if (known) return known.label;
  const fallback = fallbackDisplay?.trim();
  if (fallback) return fallback;
  if (code?.trim()) return `Document de type ${code.trim()}`;
  return 'Type de document inconnu';
}

/** Broad family, for filters and the "examen récent" flag (imaging and lab). */
export function documentTypeCategory(code: string | undefined): DocumentCategory {
  return (code && TYPES.get(code.trim())?.category) || 'autre';
}

export function isKnownDocumentType(code: string | undefined): boolean {
  return !!code && TYPES.has(code.trim());
}

/** Codes with a label, for filter menus. */
export function knownDocumentTypes(): { code: string; label: string; category: DocumentCategory }[] {
  return [...TYPES].map(([code, t]) => ({ code, ...t }));
}
