import { DOCTORS, PROCEDURES } from '../catalog';
import { SYSTEMS, type FhirResource } from '../fhir-types';
import { ident, iso, ref, type PatientContext, type Stay } from './common';

/** Half the stays of units that have CCAM acts get one, performed a third of the way through the stay. */
export function buildProcedures(ctx: PatientContext, stays: readonly Stay[]): FhirResource[] {
  const { rng, pid } = ctx;
  const resources: FhirResource[] = [];
  for (const stay of stays) {
    const candidates = PROCEDURES.filter(([, , unit]) => unit === stay.unit);
    if (candidates.length === 0 || !rng.chance(0.5)) continue;
    const [code, label] = rng.pick(candidates);
    const id = `proc-${stay.id}-${code}`;
    resources.push({
      resourceType: 'Procedure',
      id,
      identifier: ident('acte', id),
      status: 'completed',
      code: { coding: [{ system: SYSTEMS.ccam, code, display: label }], text: label },
      subject: ref(pid),
      encounter: { reference: `Encounter/${stay.id}` },
      performedDateTime: iso(stay.start + (stay.end - stay.start) / 3),
      performer: [{ actor: { display: rng.pick(DOCTORS) } }],
    });
  }
  return resources;
}
