import { randomUUID } from 'node:crypto';
import type { Resource } from '@medplum/fhirtypes';
import { createPopulation, type FhirResource } from '../../../shared/seed';
import type { HospitalRepository } from './repository';

export interface SeedRequest {
  patients: number;
  seed?: number;
  /** "Today" of the population (YYYY-MM-DD); default: the server's today, so current stays exist. */
  referenceDate?: string;
  documentsPerPatient?: number;
  /**
   * Patients (by index, from 0) given the full clinical content; the others get identity and stays only,
   * except those in care (a stay ongoing or ended within 30 days), who always get their content.
   * Default: every patient. 200,000 identities + 5,000 full patients is the sync bench's hospital.
   */
  fullContentPatients?: number;
}

export interface SeedReport {
  patients: number;
  fullPatients: number;
  resources: number;
  seconds: number;
}

const CARE_WINDOW_MS = 30 * 86_400_000;

/** In care at `reference`: a stay without end, or one that ended within the care window. */
function inCare(encounters: FhirResource[], reference: number): boolean {
  return encounters.some((e) => {
    const end = (e.period as { end?: string } | undefined)?.end;
    return e.status === 'in-progress' || e.status === 'planned' || end === undefined || reference - Date.parse(end) <= CARE_WINDOW_MS;
  });
}

/**
 * Loads the deterministic population straight into the repository's maps (no per-resource
 * create: no JSON round trip or clone), a random versionId each and distinct
 * lastUpdated instants, one millisecond apart, ending at `now` (cursors paging by _lastUpdated move).
 */
export function seedRepository(repo: HospitalRepository, request: SeedRequest, now: Date): SeedReport {
  const started = performance.now();
  const referenceDate = request.referenceDate ?? now.toISOString().slice(0, 10);
  const reference = Date.parse(referenceDate + 'T12:00:00Z');
  const population = createPopulation({
    seed: request.seed ?? 1,
    referenceDate,
    ...(request.documentsPerPatient !== undefined ? { documentsPerPatient: request.documentsPerPatient } : {}),
  });
  const fullFirst = request.fullContentPatients ?? request.patients;
  const all: FhirResource[] = [];
  let fullPatients = 0;
  for (let i = 0; i < request.patients; i++) {
    let full = true;
    const { resources } = population.patient(i, { full: (encounters) => (full = i < fullFirst || inCare(encounters, reference)) });
    if (full) fullPatients++;
    for (const r of resources) all.push(r);
  }
  const base = now.getTime() - all.length;
  for (let k = 0; k < all.length; k++) {
    const r = all[k]! as Resource & { id: string };
    r.meta = { versionId: randomUUID(), lastUpdated: new Date(base + k + 1).toISOString() };
    repo.loadVersion(r);
  }
  return { patients: request.patients, fullPatients, resources: all.length, seconds: (performance.now() - started) / 1000 };
}
