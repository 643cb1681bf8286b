import { ALLERGENS, REACTIONS } from '../catalog';
import { SYSTEMS, type FhirResource } from '../fhir-types';
import { ident, iso, ref, type PatientContext, type Stay } from './common';

/** A quarter of patients have 1 or 2 allergies, recorded at their first stay. */
export function buildAllergies(ctx: PatientContext, stays: readonly Stay[]): FhirResource[] {
  const { rng, ipp, pid } = ctx;
  const resources: FhirResource[] = [];
  if (!rng.chance(0.25)) return resources;
  for (let k = rng.int(1, 2); k > 0; k--) {
    const [substance, code] = rng.pick(ALLERGENS);
    const id = `alg-${ipp}-${k}`;
    resources.push({
      resourceType: 'AllergyIntolerance',
      id,
      identifier: ident('allergie', id),
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      criticality: rng.chance(0.3) ? 'high' : 'low',
      code: { ...(code ? { coding: [{ system: SYSTEMS.atc, code }] } : {}), text: substance },
      patient: ref(pid),
      recordedDate: iso(stays[0]!.start),
      reaction: [{ manifestation: [{ text: rng.pick(REACTIONS) }] }],
    });
  }
  return resources;
}
