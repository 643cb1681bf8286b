import { DEFAULT_IPP_SYSTEM, INS_OID, insSystem } from '../../ins/oids';
import type { IdentityStatus } from '../../ins/identity-status';
import { SYSTEMS, type FhirResource } from '../fhir-types';
import { FAMILY_NAMES, GIVEN_NAMES, generationOf } from '../names';
import { BIRTHPLACES } from '../places';
import type { Rng } from '../prng';
import type { PatientContext } from './common';

const STATUS_WEIGHTS: readonly (readonly [IdentityStatus, number])[] = [
  ['QUAL', 72],
  ['RECUP', 12],
  ['VALI', 9],
  ['PROV', 7],
];

/** The identity facts later builders repeat (documents carry the patient in their CDA header). */
export interface PatientFacts {
  sex: 'M' | 'F';
  birthDate: string;
  family: string;
  given: string[];
}

/** Hands out a test NIR for a sex, birth date and birthplace, never the same one twice in a population. */
export type NirAllocator = (rng: Rng, sex: 'M' | 'F', birthDate: string, place: string) => string;

function birthYear(rng: Rng): number {
  // Hospital population skews old: roughly a third over 65.
  const band = rng.weighted([
    [[1925, 1944], 14],
    [[1945, 1959], 22],
    [[1960, 1979], 24],
    [[1980, 1999], 22],
    [[2000, 2024], 18],
  ] as const);
  return rng.int(band[0], band[1]);
}

/** The Patient resource: identity status, IPP, INS when the INSi would have returned one, names, birthplace. */
export function buildPatient(ctx: PatientContext, nirFor: NirAllocator): { resource: FhirResource; facts: PatientFacts } {
  const { rng, ipp, pid, reference } = ctx;
  const sex: 'M' | 'F' = rng.chance(0.5) ? 'F' : 'M';
  const year = Math.min(birthYear(rng), new Date(reference).getUTCFullYear() - 1);
  const month = rng.int(1, 12);
  const day = rng.int(1, new Date(Date.UTC(year, month, 0)).getUTCDate());
  const birthDate = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  const [placeCode, placeName] = rng.weighted(BIRTHPLACES.map(([c, n, w]) => [[c, n] as const, w] as const));
  const family = rng.weighted(FAMILY_NAMES);
  const givenPool = GIVEN_NAMES[sex][generationOf(year)];
  const given = [rng.pick(givenPool)];
  if (rng.chance(0.45)) given.push(rng.pick(GIVEN_NAMES[sex][generationOf(year - 30)]));
  if (rng.chance(0.1)) given.push(rng.pick(GIVEN_NAMES[sex][generationOf(year - 60)]));
  const uniqueGiven = [...new Set(given)];
  const status = rng.weighted(STATUS_WEIGHTS);
  const usedFamily = sex === 'F' && year < 2000 && rng.chance(0.45) ? rng.weighted(FAMILY_NAMES) : undefined;
  const usedGiven = rng.chance(0.05) ? uniqueGiven[uniqueGiven.length - 1] : undefined;

  const identifier: unknown[] = [
    { use: 'usual', type: { coding: [{ system: SYSTEMS.v2_0203, code: 'PI' }] }, system: DEFAULT_IPP_SYSTEM, value: ipp },
  ];
  // INS comes from the INSi teleservice: present for RECUP and QUAL, absent otherwise.
  if (status === 'RECUP' || status === 'QUAL') {
    identifier.push({
      use: 'official',
      type: { coding: [{ system: SYSTEMS.frCoreV2_0203, code: 'INS-NIR-TEST' }] },
      system: insSystem(INS_OID.TEST_NIR),
      value: nirFor(rng, sex, birthDate, placeCode),
    });
  }
  const names: unknown[] = [{ use: 'official', family, given: uniqueGiven }];
  if (usedFamily && usedFamily !== family) names.push({ use: 'usual', family: usedFamily, ...(usedGiven ? { given: [usedGiven] } : {}) });
  else if (usedGiven) names.push({ use: 'usual', given: [usedGiven] });

  const resource: FhirResource = {
    resourceType: 'Patient',
    id: pid,
    extension: [
      {
        url: SYSTEMS.identityReliability,
        extension: [{ url: 'identityStatus', valueCoding: { system: SYSTEMS.identityStatusCodes, code: status } }],
      },
      {
        url: SYSTEMS.birthPlace,
        valueAddress: { extension: [{ url: SYSTEMS.inseeCode, valueCoding: { code: placeCode } }], city: placeName },
      },
    ],
    identifier,
    name: names,
    gender: sex === 'M' ? 'male' : 'female',
    birthDate,
  };
  return { resource, facts: { sex, birthDate, family, given: uniqueGiven } };
}
