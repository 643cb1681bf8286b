/** The slice of FHIR R4 the seed writes (and the importer reads). */
export type FhirResource = { resourceType: string; id?: string } & Record<string, unknown>;

export interface FhirBundle {
  resourceType: 'Bundle';
  id?: string;
  type: string;
  entry: { fullUrl?: string; resource: FhirResource }[];
}

/** FHIR / French systems used on both sides. */
export const SYSTEMS = {
  v2_0203: 'http://terminology.hl7.org/CodeSystem/v2-0203',
  frCoreV2_0203: 'https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203',
  identityReliability: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
  identityStatusCodes: 'https://mos.esante.gouv.fr/NOS/TRE_R338-ModaliteIdentite/FHIR/TRE-R338-ModaliteIdentite',
  birthPlace: 'http://hl7.org/fhir/StructureDefinition/patient-birthPlace',
  inseeCode: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code',
  loinc: 'http://loinc.org',
  cim10: 'http://hl7.org/fhir/sid/icd-10',
  ccam: 'https://smt.esante.gouv.fr/terminologie-ccam',
  atc: 'http://www.whocc.no/atc',
  actCode: 'http://terminology.hl7.org/CodeSystem/v3-ActCode',
  ucum: 'http://unitsofmeasure.org',
  seedIdentifier: 'urn:chu-demo:',
} as const;
