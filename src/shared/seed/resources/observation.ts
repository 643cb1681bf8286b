import { ANALYTES } from '../catalog';
import { SYSTEMS, type FhirResource } from '../fhir-types';
import type { Rng } from '../prng';
import { HOUR, ident, iso, ref, type PatientContext, type Stay } from './common';

function shuffle<T>(rng: Rng, list: T[]): T[] {
  for (let i = list.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

/** For 60% of patients, series of 3 to 6 results of 2 or 3 analytes drifting around their mean across the stays. */
export function buildObservations(ctx: PatientContext, stays: readonly Stay[]): FhirResource[] {
  const { rng, ipp, pid } = ctx;
  const resources: FhirResource[] = [];
  if (!rng.chance(0.6)) return resources;
  const analytes = shuffle(rng, [...ANALYTES]).slice(0, rng.int(2, 3));
  for (const a of analytes) {
    let value = a.mean + (rng.next() - 0.5) * 2 * a.sd;
    const points = rng.int(3, 6);
    for (let k = 0; k < points; k++) {
      const stay = stays[Math.min(stays.length - 1, Math.floor((k * stays.length) / points))]!;
      const at = stay.start + (k + 1) * 6 * HOUR;
      value = Math.max(a.low / 3 + 0.1, value + (rng.next() - 0.5) * a.sd);
      const id = `obs-${ipp}-${a.code}-${k}`;
      const rounded = Number(value.toFixed(a.decimals));
      resources.push({
        resourceType: 'Observation',
        id,
        identifier: ident('resultat', id),
        status: 'final',
        category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
        code: { coding: [{ system: SYSTEMS.loinc, code: a.code, display: a.label }], text: a.label },
        subject: ref(pid),
        effectiveDateTime: iso(at),
        valueQuantity: { value: rounded, unit: a.unit, system: SYSTEMS.ucum },
        referenceRange: [{ low: { value: a.low, unit: a.unit }, high: { value: a.high, unit: a.unit } }],
        interpretation: rounded > a.high ? [{ coding: [{ code: 'H' }] }] : rounded < a.low ? [{ coding: [{ code: 'L' }] }] : undefined,
      });
    }
  }
  return resources;
}
