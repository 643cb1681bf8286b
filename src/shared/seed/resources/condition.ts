import { PROBLEMS } from '../catalog';
import { SYSTEMS, type FhirResource } from '../fhir-types';
import { ident, iso, ref, type PatientContext, type Stay } from './common';

/** 0 to 4 draws of CIM-10 problems (a repeated draw is skipped, not redrawn), each dated at one of the stays. */
export function buildConditions(ctx: PatientContext, stays: readonly Stay[]): FhirResource[] {
  const { rng, ipp, pid } = ctx;
  const resources: FhirResource[] = [];
  const problems = new Set<string>();
  for (let k = rng.weighted([[0, 15], [1, 35], [2, 30], [3, 15], [4, 5]] as const); k > 0; k--) {
    const [code, label] = rng.pick(PROBLEMS);
    if (problems.has(code)) continue;
    problems.add(code);
    const id = `cond-${ipp}-${code}`;
    resources.push({
      resourceType: 'Condition',
      id,
      identifier: ident('diagnostic', id),
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: rng.chance(0.8) ? 'active' : 'resolved' }] },
      code: { coding: [{ system: SYSTEMS.cim10, code, display: label }], text: label },
      subject: ref(pid),
      onsetDateTime: iso(rng.pick(stays).start),
    });
  }
  return resources;
}
