import { MOTIVES, UNIT_WEIGHTS } from '../catalog';
import { SYSTEMS, type FhirResource } from '../fhir-types';
import { DAY, HOUR, ident, iso, ref, type PatientContext, type Stay } from './common';

/** 1 to 5 Encounters between the later of (birth + 1 year, 2012) and "today", the last one possibly ongoing. */
export function buildEncounters(ctx: PatientContext, birthDate: string): { resources: FhirResource[]; stays: Stay[] } {
  const { rng, ipp, pid, reference } = ctx;
  const birthMs = Date.parse(birthDate + 'T00:00:00Z');
  // Babies born in the last year get stays right after birth; nobody is seen after `reference`.
  const from = Math.min(Math.max(birthMs + 365 * DAY, Date.parse('2012-01-01T00:00:00Z')), Math.max(birthMs + DAY, reference - 30 * DAY));
  const nStays = rng.weighted([[1, 35], [2, 30], [3, 20], [4, 10], [5, 5]] as const);
  const starts = Array.from({ length: nStays }, () => from + rng.next() * (reference - from)).sort((a, b) => a - b);
  const resources: FhirResource[] = [];
  const stays = starts.map((start, k): Stay => {
    const unit = rng.weighted(UNIT_WEIGHTS);
    const emergency = unit === 'Urgences';
    const length = emergency ? rng.int(2, 10) * HOUR : rng.int(1, 12) * DAY;
    const ongoing = k === nStays - 1 && reference - start < 15 * DAY && rng.chance(0.7);
    const id = `enc-${ipp}-${k + 1}`;
    const motive = rng.pick(MOTIVES[unit]);
    resources.push({
      resourceType: 'Encounter',
      id,
      identifier: ident('sejour', id),
      status: ongoing ? 'in-progress' : 'finished',
      class: { system: SYSTEMS.actCode, code: emergency ? 'EMER' : rng.chance(0.1) ? 'AMB' : 'IMP' },
      subject: ref(pid),
      period: ongoing ? { start: iso(start) } : { start: iso(start), end: iso(Math.min(start + length, reference)) },
      reasonCode: [{ text: motive }],
      serviceProvider: { display: unit },
    });
    return { id, unit, start, end: Math.min(start + length, reference), motive };
  });
  return { resources, stays };
}
