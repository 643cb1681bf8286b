/**
 * Systems, extensions and codes the workstation writes into the FHIR resources it creates, and the
 * mapping reads back (src/shared/fhir/map.ts), so a local write and its server copy give the same row.
 */
export const SYSTEM = {
  /** RFC 3986 URI identifiers: a client-assigned `urn:uuid:…` makes a create conditional (If-None-Exist). */
  uri: 'urn:ietf:rfc:3986',
  v2_0203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  identityReliability: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
  identityStatusCodes: 'https://mos.esante.gouv.fr/NOS/TRE_R338-ModaliteIdentite/FHIR/TRE-R338-ModaliteIdentite',
  birthPlace: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace',
  inseeCode: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code',
  loinc: 'http://loinc.org',
  cim10: 'http://hl7.org/fhir/sid/icd-10',
  atc: 'http://www.whocc.no/atc',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  allergyClinical: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical',
  conditionClinical: 'http://terminology.hl7.org/CodeSystem/condition-clinical',
  medicationRequestCategory: 'http://terminology.hl7.org/CodeSystem/medicationrequest-category',
  /** "Inconnu urgences 23/11 14:05": the label of an unidentified emergency patient, kept with the identity. */
  provisionalLabel: 'https://chu-workstation.fr/fhir/StructureDefinition/provisional-label',
} as const;

/**
 * A bedside clinical note is a DocumentReference of LOINC type 11506-3 (progress note) with a text/plain
 * attachment: narrative text is a document in FHIR R4 (Observation.valueString is meant for a result,
 * and the mapping files Observations as lab results for trend charts).
 */
export const NOTE_TYPE = { system: SYSTEM.loinc, code: '11506-3', display: 'Note d’évolution' } as const;

export function uuidIdentifier(uuid: string): { system: string; value: string } {
  return { system: SYSTEM.uri, value: `urn:uuid:${uuid}` };
}

/** The If-None-Exist query of a conditional create on that identifier. */
export function ifNoneExist(uuid: string): string {
  return `identifier=${encodeURIComponent(`${SYSTEM.uri}|urn:uuid:${uuid}`)}`;
}
