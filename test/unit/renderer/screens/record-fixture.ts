const IPP = 'urn:chu-demo:ipp';
const INS_TEST = 'urn:oid:1.2.250.1.213.1.4.10';
const LOINC = 'http://loinc.org';

function patient(ipp: string, family: string, given: string, sex: 'male' | 'female', birthDate: string, ins?: string) {
  return {
    resourceType: 'Patient',
    id: `p${ipp}`,
    identifier: [{ type: { coding: [{ code: 'PI' }] }, system: IPP, value: ipp }, ...(ins ? [{ system: INS_TEST, value: ins }] : [])],
    extension: [
      {
        url: 'https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability',
        extension: [{ url: 'identityStatus', valueCoding: { code: ins ? 'QUAL' : 'PROV' } }],
      },
    ],
    name: [{ use: 'official', family, given: [given] }],
    gender: sex,
    birthDate,
  };
}

function stay(id: string, ipp: string, unit: string, start: string, end?: string) {
  return {
    resourceType: 'Encounter',
    id,
    identifier: [{ system: 'urn:sej', value: id }],
    status: end ? 'finished' : 'in-progress',
    class: { code: 'IMP' },
    subject: { reference: `Patient/p${ipp}` },
    period: end ? { start, end } : { start },
    reasonCode: [{ text: unit === 'Cardiologie' ? 'Décompensation cardiaque' : 'Céphalées' }],
    serviceProvider: { display: unit },
  };
}

function creatinine(n: number, date: string, value: number) {
  return {
    resourceType: 'Observation',
    id: `creat-${n}`,
    identifier: [{ system: 'urn:lab', value: `creat-${n}` }],
    status: 'final',
    code: { coding: [{ system: LOINC, code: '14682-9', display: 'Créatinine' }] },
    subject: { reference: 'Patient/p100' },
    effectiveDateTime: date,
    valueQuantity: { value, unit: 'µmol/L' },
    referenceRange: [{ low: { value: 45 }, high: { value: 104 } }],
  };
}

/**
 * A small local record: Dominique PAT-TROIS (qualified INS, in Cardiologie now, penicillin allergy,
 * three creatinine results), Jean-Luc MARTIN (seen in Neurologie only) and Anne MARTINEZ (Cardiologie).
 */
export function recordBundle() {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      patient('100', 'Pat-Trois', 'Dominique', 'female', '1979-03-28', '279035121518989'),
      stay('e100', '100', 'Cardiologie', '2024-01-01T08:00:00Z'),
      {
        resourceType: 'AllergyIntolerance',
        id: 'a1',
        identifier: [{ system: 'urn:all', value: 'a1' }],
        clinicalStatus: { coding: [{ code: 'active' }] },
        code: { text: 'Pénicilline' },
        patient: { reference: 'Patient/p100' },
        reaction: [{ manifestation: [{ text: 'Urticaire' }] }],
      },
      creatinine(1, '2024-01-01T10:00:00Z', 88),
      creatinine(2, '2024-01-02T10:00:00Z', 121),
      creatinine(3, '2024-01-03T10:00:00Z', 97),
      patient('200', 'Martin', 'Jean-Luc', 'male', '1950-11-02'),
      stay('e200', '200', 'Neurologie', '2023-05-01T08:00:00Z', '2023-05-04T08:00:00Z'),
      patient('300', 'Martinez', 'Anne', 'female', '1988-07-14'),
      stay('e300', '300', 'Cardiologie', '2022-02-01T08:00:00Z', '2022-02-03T08:00:00Z'),
    ].map((resource) => ({ resource })),
  };
}
