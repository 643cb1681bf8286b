import { withNirKey } from '../ins/nir';
import type { FhirBundle, FhirResource } from './fhir-types';
import { createRng, mixSeed, type Rng } from './prng';
import { buildAllergies } from './resources/allergy';
import type { PatientContext } from './resources/common';
import { buildConditions } from './resources/condition';
import { buildDocuments } from './resources/document';
import { buildEncounters } from './resources/encounter';
import { buildMedications } from './resources/medication';
import { buildObservations } from './resources/observation';
import { buildPatient } from './resources/patient';
import { buildProcedures } from './resources/procedure';

export interface SeedOptions {
  seed?: number;
  /** Mean documents per patient (10 gives 2,000,000 for 200,000 patients). */
  documentsPerPatient?: number;
  /** "Today" of the generated population, so output does not depend on the clock. */
  referenceDate?: string;
  /** Document content: short CDA (default) or plain text. */
  content?: 'cda' | 'text';
}

export interface SeedCounts {
  patients: number;
  stays: number;
  documents: number;
  allergies: number;
  treatments: number;
  problems: number;
  procedures: number;
  observations: number;
}

export function emptyCounts(): SeedCounts {
  return { patients: 0, stays: 0, documents: 0, allergies: 0, treatments: 0, problems: 0, procedures: 0, observations: 0 };
}

/**
 * A deterministic synthetic French population. `patient(i)` depends only on the seed and i,
 * except INS uniqueness: a NIR already handed out moves to the next order number, so generate
 * in index order (the CLI does).
 */
export function createPopulation(options: SeedOptions = {}) {
  const seed = options.seed ?? 1;
  const documents = { mean: options.documentsPerPatient ?? 10, content: options.content ?? 'cda' } as const;
  const reference = Date.parse((options.referenceDate ?? '2025-06-30') + 'T12:00:00Z');
  const usedNirs = new Set<string>();

  function nirFor(rng: Rng, sex: 'M' | 'F', birthDate: string, place: string): string {
    const head = (sex === 'M' ? '1' : '2') + birthDate.slice(2, 4) + birthDate.slice(5, 7) + place;
    let order = rng.int(1, 999);
    for (let tries = 0; tries < 999 && usedNirs.has(head + String(order).padStart(3, '0')); tries++) {
      order = (order % 999) + 1;
    }
    const body = head + String(order).padStart(3, '0');
    usedNirs.add(body);
    return withNirKey(body);
  }

  /**
   * All FHIR resources of patient i (Patient first). The builders draw from one random stream
   * in this order; reordering them changes the whole population (test/unit/shared/seed/golden.test.ts).
   * `full(encounters)` false stops after the Encounters (identity + stays only: a hospital-wide identity
   * index without generating the clinical content); every patient's own stream makes the rest unaffected.
   */
  function patient(i: number, opts: { full?: (encounters: FhirResource[]) => boolean } = {}): { resources: FhirResource[]; counts: SeedCounts } {
    const ipp = String(100_000_001 + i);
    const ctx: PatientContext = { rng: createRng(mixSeed(seed, i)), ipp, pid: `p${ipp}`, reference };
    const identity = buildPatient(ctx, nirFor);
    const { resources: encounters, stays } = buildEncounters(ctx, identity.facts.birthDate);
    if (opts.full && !opts.full(encounters)) {
      return { resources: [identity.resource, ...encounters], counts: { ...emptyCounts(), patients: 1, stays: encounters.length } };
    }
    const conditions = buildConditions(ctx, stays);
    const allergies = buildAllergies(ctx, stays);
    const medications = buildMedications(ctx, stays[stays.length - 1]!);
    const procedures = buildProcedures(ctx, stays);
    const observations = buildObservations(ctx, stays);
    const docs = buildDocuments(ctx, stays, identity.facts, documents);
    const counts: SeedCounts = {
      patients: 1,
      stays: encounters.length,
      documents: docs.length,
      allergies: allergies.length,
      treatments: medications.length,
      problems: conditions.length,
      procedures: procedures.length,
      observations: observations.length,
    };
    const resources = [identity.resource, ...encounters, ...conditions, ...allergies, ...medications, ...procedures, ...observations, ...docs];
    return { resources, counts };
  }

  return { patient };
}

/** Bundles of `perBundle` patients, in index order, for patients [0, total). */
export function* generateBundles(
  total: number,
  options: SeedOptions & { perBundle?: number } = {},
): Generator<{ bundle: FhirBundle; first: number; count: number; counts: SeedCounts }> {
  const population = createPopulation(options);
  const perBundle = options.perBundle ?? 500;
  for (let first = 0; first < total; first += perBundle) {
    const count = Math.min(perBundle, total - first);
    const counts = emptyCounts();
    const entry: FhirBundle['entry'] = [];
    for (let i = first; i < first + count; i++) {
      const p = population.patient(i);
      for (const r of p.resources) entry.push({ resource: r });
      addCounts(counts, p.counts);
    }
    yield {
      bundle: { resourceType: 'Bundle', id: `seed-${options.seed ?? 1}-${first}`, type: 'collection', entry },
      first,
      count,
      counts,
    };
  }
}

export function addCounts(into: SeedCounts, add: SeedCounts): void {
  for (const k of Object.keys(into) as (keyof SeedCounts)[]) into[k] += add[k];
}
