import type { Unit } from '../catalog';
import { SYSTEMS } from '../fhir-types';
import type { Rng } from '../prng';
import { toIsoSeconds } from '../../time';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

/** What every builder of one patient shares: its random stream (draw order is the output), ids and "today". */
export interface PatientContext {
  rng: Rng;
  ipp: string;
  /** FHIR id of the Patient resource. */
  pid: string;
  /** "Today" of the population, epoch ms: nothing is dated after it. */
  reference: number;
}

/** A stay as the later builders need it (procedures, labs and documents hang off stays). */
export interface Stay {
  id: string;
  unit: Unit;
  start: number;
  end: number;
  motive: string;
}

export function iso(ms: number): string {
  return toIsoSeconds(new Date(ms));
}

export function ident(kind: string, value: string) {
  return [{ system: SYSTEMS.seedIdentifier + kind, value }];
}

export function ref(patientFhirId: string) {
  return { reference: `Patient/${patientFhirId}` };
}
